package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.bridge.FunctionServer;
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
 * Usage the edge counted before, billed in apply (feature level 3): an SNS delivery to an sqs subscription in the send
 * that stores the copy, an event source mapping's invocation in the delete of the messages it handled, an SNS function
 * subscription's invocation in the delete of the notification's copy after success. Each bill is in
 * {@code /v1/usage} as soon as its entry applied (no edge flush to wait for, none to lose in a crash), survives a
 * restart unchanged, and a retry (a send deduplicated by a FIFO queue, a delete of messages already gone) bills nothing
 * again.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UsageInLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String B = UsageIT.ACCOUNT_B;
    private static final long WORKER_MILLIS = 150;

    @TempDir
    Path data;

    @Test
    void deliveriesAndInvocationsAreBilledByTheirEntriesOnceWhateverIsRetriedAndStillAfterARestart() throws Exception {
        long expected;
        List<Long> invoked;
        List<Long> notified;
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
            invoked = invocationsAreBilledByTheirDeletes(server);
            notified = subscriptionInvocationsAreBilledByTheirDeletes(server);
        }
        try (SqsTestServer server = SqsTestServer.start(data, UsageIT::twoAccounts)) {
            assertEquals(expected, billed(server.port()));
            assertEquals(invoked, invocations(server.port()));
            assertEquals(notified, notifications(server.port()));
        }
    }

    /**
     * B's topic invokes B's function (lambda subscription) once: the delete of the copy after success bills the delivery
     * and the invocation with its duration, there as soon as the copy is gone. Then a delete ending a delivery the way
     * the delivery worker does (a copy in an internal queue, entry id "delivered", the invocation's bill), sent twice
     * (the first answer lost, say): the second removes nothing and bills nothing.
     */
    private List<Long> subscriptionInvocationsAreBilledByTheirDeletes(SqsTestServer server) throws Exception {
        int port = server.port();
        try (FunctionServer pager = new FunctionServer();
                SnsClient sns = UsageIT.sns(port, UsageIT.KEY_B, UsageIT.SECRET_B)) {
            pager.respond(event -> FunctionServer.Reply.okAfter(WORKER_MILLIS));
            assertEquals(201, UsageIT.post(port, UsageIT.KEY_B, UsageIT.SECRET_B, "/v1/functions",
                    "{\"FunctionName\":\"pager\",\"InvokeUrl\":\"" + pager.url() + "\",\"Timeout\":10}").statusCode());
            String topic = sns.createTopic(r -> r.name("pages")).topicArn();
            sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint("arn:aws:lambda:us-east-1:" + B + ":function:pager"));
            sns.publish(r -> r.topicArn(topic).message("page the on-call"));
            UsageIT.await(() -> notifications(port).get(0) == 1, "the delete of the delivered copy");
            // Read at once: the edge would flush the invocation only within 2 s; the log has it with the delete.
            List<Long> billed = notifications(port);
            assertEquals(1L, billed.get(1), "invocations " + billed);
            assertTrue(billed.get(2) >= WORKER_MILLIS, "duration " + billed);
            assertEquals(1, pager.events().size());

            dev.sluice.clientsdk.QueueClient internal = server.sluice().queueClient();
            String deliveries = internal.createQueue(new dev.sluice.clientsdk.model.CreateQueueRequest(
                    dev.sluice.clientsdk.ReservedQueueNames.PREFIX + "sub-retried", Map.of(), Map.of()))
                    .get(10, TimeUnit.SECONDS).queueUrl();
            internal.sendMessage(new dev.sluice.clientsdk.model.SendMessageRequest(deliveries, "{}", null, Map.of(
                    dev.sluice.clientsdk.ReservedQueueNames.DELIVERY_ATTRIBUTE, MessageAttributeValue.ofString("String",
                            dev.sluice.clientsdk.ReservedQueueNames.delivery(B, "lambda", 100))), Map.of(), null, null))
                    .get(10, TimeUnit.SECONDS);
            String handle = internal.receiveMessage(new dev.sluice.clientsdk.model.ReceiveMessageRequest(
                    deliveries, List.of(), List.of(), List.of(), 1, 30, null, null)).get(10, TimeUnit.SECONDS)
                    .messages().get(0).receiptHandle();
            dev.sluice.clientsdk.model.DeleteMessageBatchRequest delete = new dev.sluice.clientsdk.model.DeleteMessageBatchRequest(
                    deliveries, List.of(new dev.sluice.clientsdk.model.DeleteMessageBatchRequestEntry(
                            dev.sluice.clientsdk.ReservedQueueNames.DELIVERED_ENTRY_ID, handle)),
                    new dev.sluice.clientsdk.model.InvocationBill(B, 9));
            for (int attempt = 0; attempt < 2; attempt++) {
                internal.deleteMessageBatch(delete).get(10, TimeUnit.SECONDS);
            }
            List<Long> after = notifications(port);
            assertEquals(List.of(2L, 2L, billed.get(2) + 9), after);
            return after;
        }
    }

    /** B's SnsDeliveriesLambda, FunctionInvocations and FunctionDurationMs in {@code /v1/usage}, read at once. */
    private static List<Long> notifications(int port) throws Exception {
        JsonNode account = JSON.readTree(UsageIT.ok(UsageIT.get(port, UsageIT.KEY_OPS, UsageIT.SECRET_OPS, "")).body())
                .get("Totals").path(B);
        return List.of(account.path("SnsDeliveriesLambda").asLong(), account.path("FunctionInvocations").asLong(),
                account.path("FunctionDurationMs").asLong());
    }

    /**
     * C's mapping invokes C's function once (150 ms at least): billed by the bridge's delete after success, there as soon
     * as the message is gone. Then the bridge's delete of another message, sent twice (the first answer lost, say):
     * the second removes nothing and bills nothing.
     */
    private List<Long> invocationsAreBilledByTheirDeletes(SqsTestServer server) throws Exception {
        int port = server.port();
        try (FunctionServer worker = new FunctionServer();
                SqsClient c = UsageIT.client(port, UsageIT.KEY_C, UsageIT.SECRET_C)) {
            worker.respond(event -> FunctionServer.Reply.okAfter(WORKER_MILLIS));
            assertEquals(201, UsageIT.post(port, UsageIT.KEY_C, UsageIT.SECRET_C, "/v1/functions",
                    "{\"FunctionName\":\"worker\",\"InvokeUrl\":\"" + worker.url() + "\",\"Timeout\":10}").statusCode());
            String work = c.createQueue(r -> r.queueName("work")).queueUrl();
            c.sendMessage(r -> r.queueUrl(work).messageBody("restart db-1"));
            assertEquals(202, UsageIT.post(port, UsageIT.KEY_C, UsageIT.SECRET_C, "/v1/event-source-mappings",
                    "{\"FunctionName\":\"worker\",\"EventSourceArn\":\"" + UsageIT.queueArn(c, work)
                            + "\",\"BatchSize\":1}").statusCode());
            UsageIT.await(() -> c.getQueueAttributes(r -> r.queueUrl(work).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings()
                    .values().stream().allMatch("0"::equals), "the mapping's delete after success");
            // Read at once: the edge would flush its count only within 2 s; the log has it with the delete.
            List<Long> billed = invocations(port);
            assertEquals(1L, billed.get(0), "invocations " + billed);
            assertTrue(billed.get(1) >= WORKER_MILLIS, "duration " + billed);

            String other = c.createQueue(r -> r.queueName("other")).queueUrl();
            c.sendMessage(r -> r.queueUrl(other).messageBody("handled"));
            String handle = server.sluice().queueClient().receiveMessage(new dev.sluice.clientsdk.model.ReceiveMessageRequest(
                    other, List.of(), List.of(), List.of(), 1, 30, null, null)).get(10, TimeUnit.SECONDS)
                    .messages().get(0).receiptHandle();
            dev.sluice.clientsdk.model.DeleteMessageBatchRequest delete = new dev.sluice.clientsdk.model.DeleteMessageBatchRequest(
                    other, List.of(new dev.sluice.clientsdk.model.DeleteMessageBatchRequestEntry("0", handle)),
                    new dev.sluice.clientsdk.model.InvocationBill(UsageIT.ACCOUNT_C, 7));
            for (int attempt = 0; attempt < 2; attempt++) {
                server.sluice().queueClient().deleteMessageBatch(delete).get(10, TimeUnit.SECONDS);
            }
            List<Long> after = invocations(port);
            assertEquals(List.of(2L, billed.get(1) + 7), after);
            return after;
        }
    }

    /** C's FunctionInvocations and FunctionDurationMs in {@code /v1/usage}. */
    private static List<Long> invocations(int port) throws Exception {
        JsonNode account = JSON.readTree(UsageIT.ok(UsageIT.get(port, UsageIT.KEY_OPS, UsageIT.SECRET_OPS, "")).body())
                .get("Totals").get(UsageIT.ACCOUNT_C);
        return List.of(account == null ? 0 : account.path("FunctionInvocations").asLong(),
                account == null ? 0 : account.path("FunctionDurationMs").asLong());
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
