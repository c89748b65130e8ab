package dev.sluice.benchmarks.floor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The floor answers the load generator's traffic as SQS does, through the real AWS SDK v2 client (which checks every
 * MD5 it is sent): batches in and out, long polls woken by a send, messages back after their visibility timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqsFloorServerTest {

    private static SqsFloorServer server;
    private static SqsAsyncClient sqs;

    @BeforeAll
    static void start() {
        server = SqsFloorServer.start("127.0.0.1", 0, null);
        sqs = client("sluice-bench", "sluice-bench", server.port());
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBatchOfTenIsReceivedWithDigestsTheSdkAcceptsAndDeletedByBatch() {
        String url = createQueue("batch", Map.of());
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("body " + i + " ü")
                    .messageAttributes(Map.of("n", MessageAttributeValue.builder().dataType("Number")
                            .stringValue(Integer.toString(i)).build()))
                    .build());
        }
        SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
        assertEquals(10, sent.successful().size());

        ReceiveMessageResponse received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(5).messageAttributeNames("All")).join();

        assertEquals(10, received.messages().size());
        Set<String> bodies = received.messages().stream().map(Message::body).collect(Collectors.toSet());
        assertEquals(entries.stream().map(SendMessageBatchRequestEntry::messageBody).collect(Collectors.toSet()), bodies);
        assertTrue(received.messages().stream().allMatch(message -> message.md5OfMessageAttributes() != null));
        assertEquals("10", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));

        List<DeleteMessageBatchRequestEntry> receipts = new ArrayList<>();
        for (Message message : received.messages()) {
            receipts.add(DeleteMessageBatchRequestEntry.builder().id("d" + receipts.size())
                    .receiptHandle(message.receiptHandle()).build());
        }
        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(receipts)).join();

        assertEquals(10, deleted.successful().size());
        assertEquals("0", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("0", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void aLongPollIsAnsweredBySendNotByItsDeadline() throws InterruptedException {
        String url = createQueue("woken", Map.of());
        long started = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        awaitWaiting("woken");

        sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake up")).join();

        assertEquals("wake up", poll.join().messages().get(0).body());
        // Generous (a busy 2-core machine), and far below the 20 s the poll would otherwise wait.
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aLongPollWokenByABatchTakesTheWholeBatch() throws InterruptedException {
        String url = createQueue("woken-by-batch", Map.of());
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(20));
        awaitWaiting("woken-by-batch");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m" + i).build());
        }

        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();

        // As in Sluice, where a batch is one Raft entry: the woken receive is not answered with the first message alone.
        assertEquals(10, poll.join().messages().size());
    }

    @Test
    void anUndeletedMessageComesBackAfterItsVisibilityTimeout() {
        String url = createQueue("redelivered", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("again")).join();
        Message first = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).join().messages().get(0);
        assertEquals(List.of(), sqs.receiveMessage(b -> b.queueUrl(url)).join().messages());

        // Waits while the message is in flight: the poll must wake when it returns, well before 20 s.
        Message second = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).join().messages().get(0);

        assertEquals(first.messageId(), second.messageId());
        assertNotEquals(first.receiptHandle(), second.receiptHandle());
    }

    @Test
    void anUnknownQueueIsQueueDoesNotExist() {
        String url = "http://127.0.0.1:" + server.port() + "/000000000000/nowhere";

        AwsServiceException error = serviceError(sqs.sendMessage(b -> b.queueUrl(url).messageBody("x")));

        assertEquals(400, error.statusCode());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", error.awsErrorDetails().errorCode());
    }

    @Test
    void withVerifySigV4AWrongSecretIsRefusedAndTheRightOneServed() {
        try (SqsFloorServer verifying = SqsFloorServer.start("127.0.0.1", 0, Map.of("floor-key", "floor-secret"));
                SqsAsyncClient forged = client("floor-key", "not-the-secret", verifying.port());
                SqsAsyncClient signed = client("floor-key", "floor-secret", verifying.port())) {
            AwsServiceException refused = serviceError(forged.createQueue(b -> b.queueName("signed")));
            assertEquals(403, refused.statusCode());
            assertEquals("SignatureDoesNotMatch", refused.awsErrorDetails().errorCode());

            assertTrue(signed.createQueue(b -> b.queueName("signed")).join().queueUrl().endsWith("/000000000000/signed"));
        }
    }

    private static String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).join().queueUrl();
    }

    private static String attribute(String url, QueueAttributeName name) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).join().attributes().get(name);
    }

    private static void awaitWaiting(String queueName) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.queues().waitingReceives(queueName) == 0) {
            if (System.nanoTime() > deadline) {
                fail("the long poll never reached the queue");
            }
            Thread.sleep(5);
        }
    }

    private static AwsServiceException serviceError(CompletableFuture<?> call) {
        try {
            call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AwsServiceException aws) {
                return aws;
            }
            throw e;
        }
        return fail("the call succeeded");
    }

    private static SqsAsyncClient client(String keyId, String secret, int port) {
        return SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(25)))
                .build();
    }
}
