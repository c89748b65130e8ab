package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** A queue spread over the four data groups of a node, attacked through the AWS SDK and raw HTTP. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PartitionedQueueAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(4)));
        sqs = server.sqs();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String partitioned(String name, Map<QueueAttributeName, String> attributes, int count) throws Exception {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/" + name + "/partitions")).PUT(HttpRequest.BodyPublishers.ofString("{\"count\":" + count + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return url;
    }

    private static String groupOf(String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String group = JSON.readTree(body).get("groups").get(0).asText();
        return group.substring(group.indexOf('-') + 1);
    }

    private static long count(String url, QueueAttributeName name) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
    }

    /** A refusal in SQS's words: a 4xx with no Java name in it. */
    private static void assertRefusedCleanly(Runnable call, String what) {
        try {
            call.run();
        } catch (SqsException refused) {
            assertTrue(refused.statusCode() >= 400 && refused.statusCode() < 500, what + ": " + refused);
            String message = String.valueOf(refused.awsErrorDetails().errorMessage());
            assertFalse(message.contains("java.") || message.contains("Exception:"), what + ": " + message);
        }
    }

    @Test
    void craftedReceiptHandlesNeverDeleteOrHideAnotherQueuesMessage() throws Exception {
        String victim = sqs.createQueue(b -> b.queueName("victim")).queueUrl();
        String attacker = partitioned("attacker", Map.of(), 4);
        sqs.sendMessage(b -> b.queueUrl(victim).messageBody("precious"));
        String victimHandle = sqs.receiveMessage(b -> b.queueUrl(victim).visibilityTimeout(600).waitTimeSeconds(2))
                .messages().get(0).receiptHandle();
        for (int i = 0; i < 8; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(attacker).messageBody("bait-" + n));
        }
        Message bait = sqs.receiveMessage(b -> b.queueUrl(attacker).visibilityTimeout(600).waitTimeSeconds(2)).messages().get(0);
        String baitInner = bait.receiptHandle().substring(bait.receiptHandle().indexOf('.') + 1);
        String victimGroup = groupOf("victim");

        List<String> onAttacker = new ArrayList<>(List.of(victimHandle, "g" + victimGroup + "." + victimHandle,
                "g0" + victimGroup + "." + victimHandle, "g+" + victimGroup + "." + victimHandle, "g-1." + victimHandle,
                "g4." + victimHandle, "g99." + victimHandle, "g2147483648." + victimHandle, "g9999999999." + victimHandle,
                "g" + victimGroup + ".g" + victimGroup + "." + victimHandle, "g", "g.", "g" + victimGroup + ".", "g1..",
                "g" + "9".repeat(5_000) + "." + victimHandle, "g" + victimGroup + "." + "A".repeat(10_000)));
        for (int group = 0; group < 4; group++) {
            onAttacker.add("g" + group + "." + victimHandle);
        }
        for (String handle : onAttacker) {
            assertRefusedCleanly(() -> sqs.deleteMessage(b -> b.queueUrl(attacker).receiptHandle(handle)), "delete " + handle);
            assertRefusedCleanly(() -> sqs.changeMessageVisibility(b -> b.queueUrl(attacker).receiptHandle(handle)
                    .visibilityTimeout(0)), "visibility " + handle);
        }
        List<String> onVictim = new ArrayList<>(List.of(bait.receiptHandle(), baitInner));
        for (int group = 0; group < 4; group++) {
            onVictim.add("g" + group + "." + baitInner);
        }
        for (String handle : onVictim) {
            assertRefusedCleanly(() -> sqs.deleteMessage(b -> b.queueUrl(victim).receiptHandle(handle)), "delete " + handle);
            assertRefusedCleanly(() -> sqs.changeMessageVisibility(b -> b.queueUrl(victim).receiptHandle(handle)
                    .visibilityTimeout(0)), "visibility " + handle);
        }
        List<DeleteMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(DeleteMessageBatchRequestEntry.builder().id("e" + i).receiptHandle(onAttacker.get(i)).build());
        }
        assertRefusedCleanly(() -> sqs.deleteMessageBatch(b -> b.queueUrl(attacker).entries(batch)), "delete batch");

        assertEquals(1, count(victim, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "the victim's message is untouched");
        assertEquals(0, count(victim, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals(8, count(attacker, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(attacker, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "the bait is untouched");
        sqs.deleteMessage(b -> b.queueUrl(victim).receiptHandle(victimHandle));
        sqs.deleteMessage(b -> b.queueUrl(attacker).receiptHandle(bait.receiptHandle()));
        assertEquals(0, count(victim, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        assertEquals(7, count(attacker, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void listQueuesPagesOverPartitionedQueuesListEachNameOnceInOrder() throws Exception {
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 14; i++) {
            String name = "paged-" + (char) ('a' + i);
            if (i % 3 == 0) {
                partitioned(name, Map.of(), 2 + i % 3);
            } else {
                sqs.createQueue(b -> b.queueName(name));
            }
            expected.add(name);
        }
        for (int pageSize = 1; pageSize <= 5; pageSize++) {
            List<String> listed = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                int size = pageSize;
                ListQueuesResponse page = sqs.listQueues(b -> b.queueNamePrefix("paged-").maxResults(size).nextToken(next));
                assertTrue(page.queueUrls().size() <= pageSize);
                page.queueUrls().forEach(url -> listed.add(url.substring(url.lastIndexOf('/') + 1)));
                token = page.nextToken();
                assertTrue(++pages <= expected.size() + 1, "paging ends");
            } while (token != null);
            assertEquals(new ArrayList<>(expected), listed, "page size " + pageSize);
        }
    }

    @Test
    void aLongPollOnAPartitionedQueueThatTheClientAbandonsFreesItsWaiter() throws Exception {
        String url = partitioned("abandoned-poll", Map.of(), 4);
        server.awaitWaiters(0);
        byte[] body = ("{\"QueueUrl\":\"" + url + "\",\"WaitTimeSeconds\":20}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            server.awaitWaiters(1);
        }
        Thread.sleep(3_000);
        for (int i = 0; i < 40; i++) {
            assertEquals(0.0, server.sluice().meters().get("sluice.sqs.receive.waiters").gauge().value(),
                    "the abandoned poll stopped waiting");
            Thread.sleep(50);
        }
    }

    @Test
    void aFifoRetryWithTheSameAttemptIdGetsTheSameMessagesFromEveryPartition() throws Exception {
        String url = partitioned("attempts.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"), 4);
        for (int g = 0; g < 8; g++) {
            for (int n = 0; n < 2; n++) {
                String group = "grp-" + g;
                String id = group + "-" + n;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(id).messageGroupId(group).messageDeduplicationId(id));
            }
        }
        List<String> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).receiveRequestAttemptId("try-1"))
                .messages().stream().map(Message::messageId).toList();
        List<String> retried = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).receiveRequestAttemptId("try-1"))
                .messages().stream().map(Message::messageId).toList();
        assertFalse(first.isEmpty());
        assertEquals(new TreeSet<>(first), new TreeSet<>(retried));
    }

    @Test
    void aRedrivePolicySetOnAPartitionedQueueDeadLettersFromEveryPartitionAcrossGroups() throws Exception {
        String dlq = sqs.createQueue(b -> b.queueName("partial-dlq")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String policy = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"1\"}";
        String source = partitioned("partial-source", Map.of(), 4);
        // Three of the four partitions are in other groups than the dead-letter queue: they redrive through transfers.
        sqs.setQueueAttributes(b -> b.queueUrl(source).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy)));
        assertTrue(sqs.getQueueAttributes(b -> b.queueUrl(source).attributeNames(QueueAttributeName.ALL))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY).contains(arn));
        for (int i = 0; i < 8; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(source).messageBody("poison-" + n));
        }
        int received = 0;
        while (received < 8) {
            received += sqs.receiveMessage(b -> b.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0)
                    .waitTimeSeconds(2)).messages().size();
        }
        java.util.Set<String> dead = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dead.size() < 8 && System.nanoTime() < deadline) {
            sqs.receiveMessage(b -> b.queueUrl(source).maxNumberOfMessages(10));
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                dead.add(message.body());
                sqs.deleteMessage(b -> b.queueUrl(dlq).receiptHandle(message.receiptHandle()));
            }
        }
        assertEquals(8, dead.size(), "every partition's poison message reached the dead-letter queue: " + dead);
    }

    @Test
    void aReceiveWithoutWaitTimeLongPollsAsThePartitionedQueueIsSetTo() throws Exception {
        String url = partitioned("patient", Map.of(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "10"), 4);
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url)).messages());
        Thread.sleep(1_000);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("worth the wait"));
        assertEquals("worth the wait", poll.get(15, TimeUnit.SECONDS).get(0).body(),
                "the queue's ReceiveMessageWaitTimeSeconds holds for every partition");
    }

    @Test
    void aFifoQueueKeepsDeduplicatingAGroupAfterItsPartitionsChanged() throws Exception {
        String url = partitioned("dedup.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"), 1);
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            String group = "order-" + g;
            groups.add(group);
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(group).messageGroupId(group).messageDeduplicationId("once"));
        }
        int received = 0;
        while (received < groups.size()) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                received++;
            }
        }
        HttpResponse<String> spread = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/dedup.fifo/partitions")).PUT(HttpRequest.BodyPublishers.ofString("{\"count\":4}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (spread.statusCode() == 200) {
            for (String group : groups) {
                // A producer's retry within the five-minute window: SQS accepts it and does not deliver it again.
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(group).messageGroupId(group).messageDeduplicationId("once"));
            }
            assertEquals(0, count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "retries were deduplicated");
        } else {
            assertEquals(400, spread.statusCode(), spread.body());
        }
    }
}
