package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SNS deliveries to sqs subscriptions are billed in the apply of the send that stores the copy (feature level 3): the
 * bill is in {@code /v1/usage} as soon as the copy is in the queue (no edge flush to wait for, none to lose in a crash),
 * survives a restart unchanged, and a send retried into a FIFO queue (deduplicated, nothing stored) bills nothing again.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SqsDeliveryBillingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String B = UsageIT.ACCOUNT_B;

    @TempDir
    Path data;

    @Test
    void aCopyIsBilledByTheEntryThatStoresItOnceWhateverIsRetriedAndStillAfterARestart() throws Exception {
        long expected;
        try (SqsTestServer server = SqsTestServer.start(data, UsageIT::twoAccounts);
                SqsClient sqs = UsageIT.client(server.port(), UsageIT.KEY_B, UsageIT.SECRET_B);
                SnsClient sns = UsageIT.sns(server.port(), UsageIT.KEY_B, UsageIT.SECRET_B)) {
            String topic = sns.createTopic(r -> r.name("alerts")).topicArn();
            String queue = sqs.createQueue(r -> r.queueName("inbox")).queueUrl();
            sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(UsageIT.queueArn(sqs, queue)));
            sns.publish(r -> r.topicArn(topic).message("disk full"));
            sns.publish(r -> r.topicArn(topic).message("x".repeat(100 * 1024)));
            List<Message> copies = new ArrayList<>();
            UsageIT.await(() -> {
                copies.addAll(sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                        .messageAttributeNames("All")).messages());
                return copies.size() >= 2;
            }, "both copies in the subscribed queue");
            expected = 0;
            for (Message copy : copies) {
                expected += UsageMeter.requests(MessageSize.of(copy.body(), attributes(copy)));
            }
            assertEquals(1 + 2, expected, "a small copy is one delivery, a 100 KiB one two");
            // Read at once: the edge would flush its counts only within 2 s; the log has the bill with the copy.
            assertEquals(expected, billed(server.port()));

            // The fanout's send into a FIFO queue, and the same send again (its answer lost, say): the second is
            // deduplicated, stores nothing and bills nothing.
            String fifo = sqs.createQueue(r -> r.queueName("inbox.fifo").attributesWithStrings(
                    Map.of("FifoQueue", "true"))).queueUrl();
            SendMessageBatchRequest retried = new SendMessageBatchRequest(fifo, List.of(
                    new SendMessageBatchRequestEntry("m0", "x".repeat(70 * 1024), null, Map.of(), Map.of(), "copy-0", "g"),
                    new SendMessageBatchRequestEntry("m1", "small", null, Map.of(), Map.of(), "copy-1", "g")), B);
            for (int attempt = 0; attempt < 2; attempt++) {
                assertEquals(2, server.sluice().queueClient().sendMessageBatch(retried).get(10, TimeUnit.SECONDS)
                        .successful().size());
            }
            expected += 2 + 1;
            assertEquals(expected, billed(server.port()));
            assertEquals("2", sqs.getQueueAttributes(r -> r.queueUrl(fifo).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
        }
        try (SqsTestServer server = SqsTestServer.start(data, UsageIT::twoAccounts)) {
            assertEquals(expected, billed(server.port()));
        }
    }

    private static Map<String, MessageAttributeValue> attributes(Message copy) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        copy.messageAttributes().forEach((name, value) -> attributes.put(name, new MessageAttributeValue(value.dataType(),
                value.stringValue(), value.binaryValue() == null ? null : value.binaryValue().asByteArray())));
        return attributes;
    }

    /** B's SnsDeliveriesSqs in {@code /v1/usage}, as the operator reads it. */
    private static long billed(int port) throws Exception {
        JsonNode totals = JSON.readTree(UsageIT.ok(UsageIT.get(port, UsageIT.KEY_OPS, UsageIT.SECRET_OPS, "")).body())
                .get("Totals");
        JsonNode account = totals.get(B);
        return account == null || !account.has("SnsDeliveriesSqs") ? 0 : account.get("SnsDeliveriesSqs").asLong();
    }
}
