package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;

/**
 * Two accounts' keys on one server (A: a key of the default account, B: {@code account=111111111111/...}) and an
 * operator key: every SQS action that names A's queue, tried by B through both protocols (JSON with SDK v2, Query
 * with SDK v1), answers as for a missing queue and changes nothing; B's queue of the same name is another queue;
 * lists show the caller's account only; dead-letter queues and move tasks stay within an account; the operator
 * reaches both accounts' queues.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountIsolationIT {
    static final String ACCOUNT_B = "111111111111";
    static final String KEY_A = "AKIDTENANTA";
    static final String SECRET_A = "secret-of-a-123";
    static final String KEY_B = "AKIDTENANTB";
    static final String SECRET_B = "secret-of-b-456";
    static final String KEY_OPS = "AKIDOPERATOR";
    static final String SECRET_OPS = "secret-of-ops-789";

    @TempDir
    static Path data;
    static SqsTestServer server;
    static SqsClient a;
    static SqsClient b;
    static SqsClient ops;
    static com.amazonaws.services.sqs.AmazonSQS bQuery;

    static String ordersA;
    static String deadA;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, AccountIsolationIT::twoAccounts);
        a = client(server.port(), KEY_A, SECRET_A);
        b = client(server.port(), KEY_B, SECRET_B);
        ops = client(server.port(), KEY_OPS, SECRET_OPS);
        bQuery = queryClient(server.port(), KEY_B, SECRET_B);
        deadA = a.createQueue(r -> r.queueName("orders-dlq")).queueUrl();
        String deadArn = arn(a, deadA);
        ordersA = a.createQueue(r -> r.queueName("orders").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"5\"}"))).queueUrl();
        a.tagQueue(r -> r.queueUrl(ordersA).tags(Map.of("team", "a")));
        a.sendMessage(r -> r.queueUrl(ordersA).messageBody("a's message"));
    }

    static SluiceConfig twoAccounts(SluiceConfig config) {
        return config.withAuth(new SluiceConfig.Auth(SluiceConfig.AccessKey.parseList(KEY_A + ":" + SECRET_A
                + ",account=" + ACCOUNT_B + "/" + KEY_B + ":" + SECRET_B + ",admin=" + KEY_OPS + ":" + SECRET_OPS)));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        ops.close();
        bQuery.shutdown();
        server.close();
    }

    @Test
    void everyJsonActionThatNamesAnotherAccountsQueueAnswersThatItDoesNotExistAndChangesNothing() {
        String handle = "AQEBanyhandle";
        List<Consumer<SqsClient>> actions = List.of(
                c -> c.sendMessage(r -> r.queueUrl(ordersA).messageBody("from b")),
                c -> c.sendMessageBatch(r -> r.queueUrl(ordersA).entries(e -> e.id("1").messageBody("from b"))),
                c -> c.receiveMessage(r -> r.queueUrl(ordersA).waitTimeSeconds(0)),
                c -> c.deleteMessage(r -> r.queueUrl(ordersA).receiptHandle(handle)),
                c -> c.deleteMessageBatch(r -> r.queueUrl(ordersA).entries(e -> e.id("1").receiptHandle(handle))),
                c -> c.changeMessageVisibility(r -> r.queueUrl(ordersA).receiptHandle(handle).visibilityTimeout(0)),
                c -> c.changeMessageVisibilityBatch(r -> r.queueUrl(ordersA)
                        .entries(e -> e.id("1").receiptHandle(handle).visibilityTimeout(0))),
                c -> c.getQueueAttributes(r -> r.queueUrl(ordersA).attributeNamesWithStrings("All")),
                c -> c.setQueueAttributes(r -> r.queueUrl(ordersA).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "7"))),
                c -> c.tagQueue(r -> r.queueUrl(ordersA).tags(Map.of("team", "b"))),
                c -> c.untagQueue(r -> r.queueUrl(ordersA).tagKeys("team")),
                c -> c.listQueueTags(r -> r.queueUrl(ordersA)),
                c -> c.purgeQueue(r -> r.queueUrl(ordersA)),
                c -> c.listDeadLetterSourceQueues(r -> r.queueUrl(deadA)),
                c -> c.deleteQueue(r -> r.queueUrl(ordersA)),
                c -> c.getQueueUrl(r -> r.queueName("orders").queueOwnerAWSAccountId("000000000000")));
        for (Consumer<SqsClient> action : actions) {
            assertThrows(QueueDoesNotExistException.class, () -> action.accept(b));
        }
        assertAUntouched();
    }

    @Test
    void everyQueryActionThatNamesAnotherAccountsQueueAnswersNonExistentQueueAndChangesNothing() {
        List<Runnable> actions = List.of(
                () -> bQuery.sendMessage(ordersA, "from b"),
                () -> bQuery.sendMessageBatch(ordersA, List.of(new com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry("1", "b"))),
                () -> bQuery.receiveMessage(ordersA),
                () -> bQuery.deleteMessage(ordersA, "AQEBanyhandle"),
                () -> bQuery.changeMessageVisibility(ordersA, "AQEBanyhandle", 0),
                () -> bQuery.getQueueAttributes(ordersA, List.of("All")),
                () -> bQuery.setQueueAttributes(ordersA, Map.of("DelaySeconds", "7")),
                () -> bQuery.tagQueue(ordersA, Map.of("team", "b")),
                () -> bQuery.untagQueue(ordersA, List.of("team")),
                () -> bQuery.listQueueTags(ordersA),
                () -> bQuery.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(ordersA)),
                () -> bQuery.deleteQueue(ordersA),
                () -> bQuery.getQueueUrl(new com.amazonaws.services.sqs.model.GetQueueUrlRequest("orders")
                        .withQueueOwnerAWSAccountId("000000000000")));
        for (Runnable action : actions) {
            var failure = assertThrows(com.amazonaws.services.sqs.model.AmazonSQSException.class, action::run);
            assertEquals("AWS.SimpleQueueService.NonExistentQueue", failure.getErrorCode(), failure.getMessage());
        }
        assertAUntouched();
    }

    @Test
    void aQueueOfTheSameNameInAnotherAccountIsADifferentQueue() {
        String ordersB = b.createQueue(r -> r.queueName("orders")).queueUrl();
        assertTrue(ordersB.endsWith("/" + ACCOUNT_B + "/orders"), ordersB);
        assertEquals("arn:aws:sqs:us-east-1:" + ACCOUNT_B + ":orders", arn(b, ordersB));
        assertEquals(ordersB, b.getQueueUrl(r -> r.queueName("orders")).queueUrl());
        b.sendMessage(r -> r.queueUrl(ordersB).messageBody("b's message"));
        var received = b.receiveMessage(r -> r.queueUrl(ordersB).visibilityTimeout(0)
                .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.SENDER_ID)).messages();
        assertEquals(List.of("b's message"), received.stream().map(m -> m.body()).toList());
        assertEquals(ACCOUNT_B, received.get(0).attributes().get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.SENDER_ID));
        assertEquals(ordersA, a.getQueueUrl(r -> r.queueName("orders")).queueUrl());
        assertAUntouched();
    }

    @Test
    void listQueuesShowsOnlyTheCallersAccount() {
        String onlyB = b.createQueue(r -> r.queueName("listed-b")).queueUrl();
        List<String> seenByB = b.listQueues(r -> r.maxResults(1000)).queueUrls();
        assertTrue(seenByB.contains(onlyB), seenByB.toString());
        assertTrue(seenByB.stream().allMatch(url -> url.contains("/" + ACCOUNT_B + "/")), seenByB.toString());
        List<String> seenByA = a.listQueues(r -> r.queueNamePrefix("")).queueUrls();
        assertTrue(seenByA.contains(ordersA), seenByA.toString());
        assertTrue(seenByA.stream().noneMatch(url -> url.contains(ACCOUNT_B)), seenByA.toString());
        // A bare prefix that happens to begin B's qualified names still lists only A's queues.
        assertEquals(List.of(), a.listQueues(r -> r.queueNamePrefix("1")).queueUrls());
        assertEquals(List.of(onlyB), b.listQueues(r -> r.queueNamePrefix("listed")).queueUrls());
    }

    @Test
    void aDeadLetterQueueMustBeInTheSourceQueuesAccount() {
        String sourceB = b.createQueue(r -> r.queueName("source-b")).queueUrl();
        String foreignRedrive = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:orders-dlq\","
                + "\"maxReceiveCount\":\"3\"}";
        var refused = assertThrows(software.amazon.awssdk.services.sqs.model.SqsException.class, () -> b.setQueueAttributes(
                r -> r.queueUrl(sourceB).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, foreignRedrive))));
        assertEquals(400, refused.statusCode());
        // Not even an operator may point B's queue at A's dead-letter queue.
        assertThrows(software.amazon.awssdk.services.sqs.model.SqsException.class, () -> ops.setQueueAttributes(
                r -> r.queueUrl(sourceB).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, foreignRedrive))));
        assertThrows(software.amazon.awssdk.services.sqs.model.SqsException.class, () -> b.createQueue(
                r -> r.queueName("source-b2").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, foreignRedrive))));
        assertFalse(b.getQueueAttributes(r -> r.queueUrl(sourceB).attributeNamesWithStrings("All")).attributesAsStrings()
                .containsKey("RedrivePolicy"));
    }

    @Test
    void moveTasksOfAnotherAccountsQueuesAnswerThatTheResourceDoesNotExist() {
        String deadArn = arn(a, deadA);
        assertThrows(ResourceNotFoundException.class, () -> b.startMessageMoveTask(r -> r.sourceArn(deadArn)));
        assertThrows(ResourceNotFoundException.class, () -> b.listMessageMoveTasks(r -> r.sourceArn(deadArn)));
        String ownDead = b.createQueue(r -> r.queueName("own-dlq")).queueUrl();
        b.createQueue(r -> r.queueName("own-source").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn(b, ownDead) + "\",\"maxReceiveCount\":\"3\"}")));
        String ordersArn = arn(a, ordersA);
        assertThrows(ResourceNotFoundException.class,
                () -> b.startMessageMoveTask(r -> r.sourceArn(arn(b, ownDead)).destinationArn(ordersArn)));
        assertTrue(a.listMessageMoveTasks(r -> r.sourceArn(deadArn)).results().isEmpty());
    }

    @Test
    void anOperatorReachesEveryAccountsQueues() {
        String sharedB = b.createQueue(r -> r.queueName("seen-by-ops")).queueUrl();
        String found = ops.getQueueUrl(r -> r.queueName("seen-by-ops").queueOwnerAWSAccountId(ACCOUNT_B)).queueUrl();
        assertEquals(sharedB, found);
        ops.sendMessage(r -> r.queueUrl(found).messageBody("from the operator"));
        assertEquals(List.of("from the operator"), b.receiveMessage(r -> r.queueUrl(sharedB).waitTimeSeconds(5))
                .messages().stream().map(m -> m.body()).toList());
        assertEquals("1", ops.getQueueAttributes(r -> r.queueUrl(ordersA)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
        // Without QueueOwnerAWSAccountId a name is looked up in the caller's own account, as in SQS.
        assertThrows(QueueDoesNotExistException.class, () -> ops.getQueueUrl(r -> r.queueName("seen-by-ops")));
    }

    @Test
    void aKeyOfTheDefaultAccountCannotReachAnotherAccountsQueue() {
        String privateB = b.createQueue(r -> r.queueName("private-b")).queueUrl();
        b.sendMessage(r -> r.queueUrl(privateB).messageBody("b's secret"));
        assertThrows(QueueDoesNotExistException.class, () -> a.receiveMessage(r -> r.queueUrl(privateB)));
        assertThrows(QueueDoesNotExistException.class, () -> a.sendMessage(r -> r.queueUrl(privateB).messageBody("x")));
        assertThrows(QueueDoesNotExistException.class,
                () -> a.getQueueUrl(r -> r.queueName("private-b").queueOwnerAWSAccountId(ACCOUNT_B)));
        assertThrows(QueueDoesNotExistException.class, () -> a.getQueueUrl(r -> r.queueName("private-b")));
        assertEquals("1", b.getQueueAttributes(r -> r.queueUrl(privateB).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                .attributesAsStrings().get("ApproximateNumberOfMessages"));
    }

    @Test
    void aKeyOfAnotherAccountListsOnlyItsOwnQueuesOverRest() throws Exception {
        // REST queues follow the caller's account (topics and functions: TopicAndFunctionIsolationIT).
        var queues = restGetAsB("/v1/queues");
        assertEquals(200, queues.statusCode(), queues.body());
        assertFalse(queues.body().contains("/000000000000/"), queues.body());
    }

    private static java.net.http.HttpResponse<String> restGetAsB(String path) throws Exception {
        RawSigner signer = new RawSigner(KEY_B, SECRET_B, server.port());
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
        signer.headers("GET", path, "", Map.of(), new byte[0], null, "sqs", java.time.Instant.now()).stream()
                .filter(header -> !header.getKey().equalsIgnoreCase("host"))
                .forEach(header -> request.header(header.getKey(), header.getValue()));
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static SnsClient sns(StaticCredentialsProvider keys) {
        return SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
                .credentialsProvider(keys).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    /** A's queue still holds its one message, its settings and tags, and its dead-letter source. */
    private static void assertAUntouched() {
        Map<String, String> attributes = a.getQueueAttributes(r -> r.queueUrl(ordersA).attributeNamesWithStrings("All"))
                .attributesAsStrings();
        assertEquals("1", attributes.get("ApproximateNumberOfMessages"), attributes.toString());
        assertEquals("0", attributes.get("DelaySeconds"));
        assertEquals(Map.of("team", "a"), a.listQueueTags(r -> r.queueUrl(ordersA)).tags());
        assertEquals(List.of(ordersA), a.listDeadLetterSourceQueues(r -> r.queueUrl(deadA)).queueUrls());
    }

    static String arn(SqsClient client, String queueUrl) {
        return client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    static SqsClient client(int port, String key, String secret) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    static com.amazonaws.services.sqs.AmazonSQS queryClient(int port, String key, String secret) {
        return com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        "http://127.0.0.1:" + port, "us-east-1"))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials(key, secret)))
                .build();
    }
}
