package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A queue and its dead-letter queue in different data groups of a server, through the AWS SDK: the
 * router verifies the remote dead-letter queue (SetQueueAttributes), dead letters cross groups through
 * the outbox with their ids and source, and a move task brings them back across groups.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossGroupRedriveIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private String groupOf(SqsTestServer server, String name) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("groups").get(0).asText();
    }

    private static String arnOf(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<Message> drain(SqsClient sqs, String url, int count) {
        List<Message> drained = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (drained.size() < count && System.currentTimeMillis() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
                drained.add(message);
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return drained;
    }

    @Test
    void deadLettersAndAMoveTaskCrossDataGroupsThroughTheAwsSdk(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(2)))) {
            SqsClient sqs = server.sqs();
            String dlq = sqs.createQueue(b -> b.queueName("dead-letters")).queueUrl();
            String work = sqs.createQueue(b -> b.queueName("work")).queueUrl();
            assertNotEquals(groupOf(server, "dead-letters"), groupOf(server, "work"), "least-loaded placement spreads them");
            String dlqArn = arnOf(sqs, dlq);

            sqs.setQueueAttributes(b -> b.queueUrl(work).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "0",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}")));
            assertEquals(List.of(work), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());
            Set<String> sent = new TreeSet<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                sent.add(sqs.sendMessage(b -> b.queueUrl(work).messageBody("m" + n)).messageId());
            }
            int firstReceives = 0;
            while (firstReceives < 10) {
                firstReceives += sqs.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(10)).messages().size();
            }
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(10)).messages().isEmpty(),
                    "received once, every message is dead-lettered by the next receive");

            List<Message> dead = drain(sqs, dlq, 10);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("sluice_queue_transfers_pending{group=\"data-0\"}"), "the outbox is metered");
            Set<String> deadIds = new TreeSet<>();
            dead.forEach(message -> deadIds.add(message.messageId()));
            assertEquals(sent, deadIds);
            String workArn = arnOf(sqs, work);
            dead.forEach(message -> assertEquals(workArn,
                    message.attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN)));

            for (int i = 0; i < 5; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(work).messageBody("again" + n));
            }
            while (!sqs.receiveMessage(b -> b.queueUrl(work).maxNumberOfMessages(10)).messages().isEmpty()) {
                // first receives, then the dead-lettering receive that answers nothing
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"5".equals(sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))) {
                assertTrue(System.currentTimeMillis() < deadline, "5 dead letters in time");
                Thread.sleep(50);
            }
            sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn));
            List<Message> back = drain(sqs, work, 5);
            assertEquals(5, back.size());
            assertTrue(back.stream().allMatch(message -> message.body().startsWith("again")));
        }
    }

    @Test
    void aRemoteDeadLetterQueueWhoseRedriveAllowPolicyDeniesTheSourceIsRefused(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(2)))) {
            SqsClient sqs = server.sqs();
            String dlq = sqs.createQueue(b -> b.queueName("closed-dead-letters").attributes(Map.of(
                    QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"denyAll\"}"))).queueUrl();
            String work = sqs.createQueue(b -> b.queueName("closed-work")).queueUrl();
            assertNotEquals(groupOf(server, "closed-dead-letters"), groupOf(server, "closed-work"));
            String dlqArn = arnOf(sqs, dlq);

            SqsException refused = assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(work)
                    .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                            "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))));

            assertEquals(400, refused.statusCode());
            assertTrue(refused.getMessage().contains("RedriveAllowPolicy"), refused.getMessage());
        }
    }
}
