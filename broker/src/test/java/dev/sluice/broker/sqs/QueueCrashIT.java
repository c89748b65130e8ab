package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL of the server while producers send: after a restart on the same files every acknowledged
 * message that was not deleted is delivered exactly once more, or is still in flight with its
 * deadline and receipt handle intact; nothing deleted comes back.
 */
@Tag("fault")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QueueCrashIT {

    @Test
    void acknowledgedMessagesSurviveSigkillAndDeletedOnesStayDeleted() throws Exception {
        try (SluiceProcesses sluice = new SluiceProcesses(1)) {
            sluice.startAll();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> deleted = new HashSet<>();
            Map<String, String> inFlight = new HashMap<>();
            String url;
            try (SqsClient sqs = SqsTestServer.client(sluice.httpPorts[0])) {
                url = sqs.createQueue(b -> b.queueName("crash").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "600")))
                        .queueUrl();
                for (int i = 0; i < 20; i++) {
                    String body = "early-" + i;
                    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                    acknowledged.add(body);
                }
                List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
                for (int i = 0; i < received.size(); i++) {
                    Message message = received.get(i);
                    if (i % 2 == 0) {
                        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                        deleted.add(message.body());
                    } else {
                        inFlight.put(message.body(), message.receiptHandle());
                    }
                }
                TrackedProducers producers = new TrackedProducers(4, () -> SqsTestServer.client(sluice.httpPorts[0]), url);
                producers.awaitAcknowledged(150, 60_000);
                sluice.kill(0);
                acknowledged.addAll(producers.stop());
            }

            sluice.start(0);
            sluice.awaitHealthy(0);
            try (SqsClient sqs = SqsTestServer.client(sluice.httpPorts[0])) {
                Map<String, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All"))
                        .attributesAsStrings();
                assertEquals(String.valueOf(inFlight.size()), counts.get("ApproximateNumberOfMessagesNotVisible"),
                        "in-flight messages keep their deadline across the crash");
                // Their receipt handles still work: release them.
                inFlight.values().forEach(handle -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle)
                        .visibilityTimeout(0)));

                Map<String, Integer> deliveries = SqsTestServer.drain(sqs, url);
                Set<String> expected = new HashSet<>(acknowledged);
                expected.removeAll(deleted);
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(deliveries.keySet());
                System.out.printf("queue crash: acknowledged=%d deleted=%d inFlight=%d delivered=%d missing=%d%n",
                        acknowledged.size(), deleted.size(), inFlight.size(), deliveries.size(), missing.size());
                assertTrue(missing.isEmpty(), "acknowledged messages lost: " + missing.size() + sluice.logTails());
                deleted.forEach(body -> assertTrue(!deliveries.containsKey(body), "deleted message came back: " + body));
                deliveries.forEach((body, times) -> assertEquals(1, times, body + " delivered " + times + " times"));
                assertTrue(acknowledged.size() > 100, "producers made progress: " + acknowledged.size());
            }
        }
    }
}
