package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Topics and subscriptions belong to an account (issue 16 B), through the AWS SDK v2 SNS client with two accounts'
 * keys (A: the default account's, B: {@code 111111111111}'s) and an operator's: each account lists its own topics and
 * the same name is two topics; every SNS action of B on A's topic or subscription is refused with SNS's
 * AuthorizationError and changes nothing; a topic Policy lets B publish and subscribe across accounts, and a queue of
 * another account is subscribed only when its Policy lets the topic send, then receives the fanout. The REST topics
 * (what the console shows) follow the caller's account too; an operator lists every account's. So do functions and
 * event source mappings: a key sees and changes only its account's, and a mapping reads only its account's queues.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicAndFunctionIsolationIT {
    static final String ACCOUNT_A = "000000000000";
    static final String ACCOUNT_B = AccountIsolationIT.ACCOUNT_B;

    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient snsA;
    static SnsClient snsB;
    static SnsClient snsOps;
    static SqsClient sqsA;
    static SqsClient sqsB;

    static String privateTopic;
    static String privateSubscription;
    static String inboxA;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, AccountIsolationIT::twoAccounts);
        snsA = sns(AccountIsolationIT.KEY_A, AccountIsolationIT.SECRET_A);
        snsB = sns(AccountIsolationIT.KEY_B, AccountIsolationIT.SECRET_B);
        snsOps = sns(AccountIsolationIT.KEY_OPS, AccountIsolationIT.SECRET_OPS);
        sqsA = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_A, AccountIsolationIT.SECRET_A);
        sqsB = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_B, AccountIsolationIT.SECRET_B);
        inboxA = sqsA.createQueue(r -> r.queueName("a-inbox")).queueUrl();
        privateTopic = snsA.createTopic(r -> r.name("a-private").attributes(Map.of("DisplayName", "A's"))
                .tags(software.amazon.awssdk.services.sns.model.Tag.builder().key("team").value("a").build())).topicArn();
        privateSubscription = snsA.subscribe(r -> r.topicArn(privateTopic).protocol("sqs")
                .endpoint(queueArn(sqsA, inboxA)).returnSubscriptionArn(true)).subscriptionArn();
    }

    @AfterAll
    static void stop() {
        List.of(snsA, snsB, snsOps).forEach(SnsClient::close);
        sqsA.close();
        sqsB.close();
        server.close();
    }

    @Test
    void eachAccountListsOnlyItsOwnTopicsAndTheSameNameIsTwoTopics() {
        String ordersA = snsA.createTopic(r -> r.name("orders")).topicArn();
        String ordersB = snsB.createTopic(r -> r.name("orders")).topicArn();
        assertEquals("arn:aws:sns:us-east-1:" + ACCOUNT_A + ":orders", ordersA);
        assertEquals("arn:aws:sns:us-east-1:" + ACCOUNT_B + ":orders", ordersB);
        List<String> listedA = snsA.listTopics().topics().stream().map(topic -> topic.topicArn()).toList();
        List<String> listedB = snsB.listTopics().topics().stream().map(topic -> topic.topicArn()).toList();
        assertTrue(listedA.contains(ordersA) && listedA.contains(privateTopic), listedA.toString());
        assertFalse(listedA.contains(ordersB), listedA.toString());
        assertTrue(listedB.stream().allMatch(arn -> arn.contains(":" + ACCOUNT_B + ":")), listedB.toString());
        assertTrue(listedB.contains(ordersB));
        assertEquals(ACCOUNT_B, snsB.getTopicAttributes(r -> r.topicArn(ordersB)).attributes().get("Owner"));
        // Deleting B's topic leaves A's of the same name.
        snsB.deleteTopic(r -> r.topicArn(ordersB));
        assertEquals(ordersA, snsA.getTopicAttributes(r -> r.topicArn(ordersA)).attributes().get("TopicArn"));
        // The operator reaches B's topics by their ARNs.
        String reportsB = snsB.createTopic(r -> r.name("reports")).topicArn();
        assertEquals(ACCOUNT_B, snsOps.getTopicAttributes(r -> r.topicArn(reportsB)).attributes().get("Owner"));
    }

    @Test
    void everyActionOfAnotherAccountOnATopicOrSubscriptionIsRefusedAndChangesNothing() {
        String missingOfA = "arn:aws:sns:us-east-1:" + ACCOUNT_A + ":no-such-topic";
        String queueB = sqsB.createQueue(r -> r.queueName("b-listener")).queueUrl();
        String queueArnB = queueArn(sqsB, queueB);
        List<Executable> attempts = List.of(
                () -> snsB.getTopicAttributes(r -> r.topicArn(privateTopic)),
                () -> snsB.setTopicAttributes(r -> r.topicArn(privateTopic).attributeName("DisplayName").attributeValue("B's")),
                () -> snsB.deleteTopic(r -> r.topicArn(privateTopic)),
                () -> snsB.publish(r -> r.topicArn(privateTopic).message("from b")),
                () -> snsB.publishBatch(r -> r.topicArn(privateTopic).publishBatchRequestEntries(entry -> entry.id("1")
                        .message("from b"))),
                () -> snsB.subscribe(r -> r.topicArn(privateTopic).protocol("sqs").endpoint(queueArnB)),
                () -> snsB.listSubscriptionsByTopic(r -> r.topicArn(privateTopic)),
                () -> snsB.tagResource(r -> r.resourceArn(privateTopic).tags(tag -> tag.key("team").value("b"))),
                () -> snsB.untagResource(r -> r.resourceArn(privateTopic).tagKeys("team")),
                () -> snsB.listTagsForResource(r -> r.resourceArn(privateTopic)),
                () -> snsB.getSubscriptionAttributes(r -> r.subscriptionArn(privateSubscription)),
                () -> snsB.setSubscriptionAttributes(r -> r.subscriptionArn(privateSubscription)
                        .attributeName("RawMessageDelivery").attributeValue("true")),
                () -> snsB.unsubscribe(r -> r.subscriptionArn(privateSubscription)),
                // A topic of A's that does not exist answers as one that does: names are not disclosed.
                () -> snsB.getTopicAttributes(r -> r.topicArn(missingOfA)),
                () -> snsB.publish(r -> r.topicArn(missingOfA).message("from b")));
        for (Executable attempt : attempts) {
            AuthorizationErrorException refused = assertThrows(AuthorizationErrorException.class, attempt);
            assertEquals(403, refused.statusCode());
        }
        // ConfirmSubscription's token is its capability: a wrong one confirms nothing.
        assertThrows(InvalidParameterException.class,
                () -> snsB.confirmSubscription(r -> r.topicArn(privateTopic).token("0".repeat(64))));
        assertTrue(snsB.listSubscriptions().subscriptions().stream()
                .noneMatch(subscription -> subscription.topicArn().equals(privateTopic)));

        Map<String, String> attributes = snsA.getTopicAttributes(r -> r.topicArn(privateTopic)).attributes();
        assertEquals("A's", attributes.get("DisplayName"));
        assertEquals("1", attributes.get("SubscriptionsConfirmed"));
        assertEquals(Map.of("team", "a"), snsA.listTagsForResource(r -> r.resourceArn(privateTopic)).tags().stream()
                .collect(java.util.stream.Collectors.toMap(tag -> tag.key(), tag -> tag.value())));
        assertEquals("false", snsA.getSubscriptionAttributes(r -> r.subscriptionArn(privateSubscription)).attributes()
                .get("RawMessageDelivery"));
        assertEquals(List.of(), sqsA.receiveMessage(r -> r.queueUrl(inboxA).waitTimeSeconds(1)).messages());
        assertEquals(List.of(), sqsB.receiveMessage(r -> r.queueUrl(queueB).waitTimeSeconds(1)).messages());
    }

    @Test
    void aTopicPolicyLetsAnotherAccountPublishAndSubscribeAQueueWhosePolicyAllowsTheTopic() {
        String shared = snsA.createTopic(r -> r.name("shared")).topicArn();
        snsA.setTopicAttributes(r -> r.topicArn(shared).attributeName("Policy").attributeValue("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ACCOUNT_B + "\"},"
                + "\"Action\":[\"sns:Publish\",\"sns:Subscribe\"],\"Resource\":\"" + shared + "\"}]}"));
        String closedB = sqsB.createQueue(r -> r.queueName("b-closed")).queueUrl();
        String openB = sqsB.createQueue(r -> r.queueName("b-open")).queueUrl();
        String openArn = queueArn(sqsB, openB);
        sqsB.setQueueAttributes(r -> r.queueUrl(openB).attributes(Map.of(QueueAttributeName.POLICY, "{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + openArn + "\",\"Condition\":{\"ArnEquals\":"
                + "{\"aws:SourceArn\":\"" + shared + "\"}}}]}")));

        // A queue of another account than the topic's whose Policy does not let the topic send: refused.
        assertThrows(AuthorizationErrorException.class, () -> snsB.subscribe(r -> r.topicArn(shared).protocol("sqs")
                .endpoint(queueArn(sqsB, closedB))));
        assertThrows(AuthorizationErrorException.class, () -> snsA.subscribe(r -> r.topicArn(shared).protocol("sqs")
                .endpoint(queueArn(sqsB, closedB))));
        String subscriptionArn = snsB.subscribe(r -> r.topicArn(shared).protocol("sqs").endpoint(openArn)
                .returnSubscriptionArn(true)).subscriptionArn();
        Subscription listed = snsB.listSubscriptions().subscriptions().stream()
                .filter(subscription -> subscription.subscriptionArn().equals(subscriptionArn)).findFirst().orElseThrow();
        assertEquals(ACCOUNT_B, listed.owner());

        snsA.publish(r -> r.topicArn(shared).message("from a"));
        snsB.publish(r -> r.topicArn(shared).message("from b"));
        List<String> received = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.size() < 2 && System.nanoTime() < deadline) {
            sqsB.receiveMessage(r -> r.queueUrl(openB).waitTimeSeconds(2).maxNumberOfMessages(10)).messages()
                    .forEach(message -> received.add(message.body()));
        }
        assertEquals(2, received.size(), received.toString());
        assertTrue(received.stream().anyMatch(body -> body.contains("from a")) && received.stream()
                .anyMatch(body -> body.contains("from b")), received.toString());
        // Its owner withdraws the queue's Policy: the topic's messages stop reaching it.
        sqsB.setQueueAttributes(r -> r.queueUrl(openB).attributes(Map.of(QueueAttributeName.POLICY, "")));
        sleepPast(SECOND_AND_A_HALF);
        snsA.publish(r -> r.topicArn(shared).message("after the policy went"));
        assertEquals(List.of(), sqsB.receiveMessage(r -> r.queueUrl(openB).waitTimeSeconds(3)).messages());
        // The subscriber manages its own subscription; the Policy did not grant B anything else on the topic.
        assertEquals(ACCOUNT_B, snsB.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)).attributes()
                .get("Owner"));
        assertThrows(AuthorizationErrorException.class, () -> snsB.getTopicAttributes(r -> r.topicArn(shared)));
        snsB.unsubscribe(r -> r.subscriptionArn(subscriptionArn));
        assertEquals("0", snsA.getTopicAttributes(r -> r.topicArn(shared)).attributes().get("SubscriptionsConfirmed"));
    }

    @Test
    void theRestTopicsFollowTheCallersAccountAndAnOperatorListsEveryAccountsTopics() throws Exception {
        String keyB = AccountIsolationIT.KEY_B;
        String secretB = AccountIsolationIT.SECRET_B;
        Rest created = rest(keyB, secretB, "PUT", "/v1/topics/rest-b", "", "{}");
        assertEquals(200, created.status(), created.body());
        assertTrue(created.body().contains("arn:aws:sns:us-east-1:" + ACCOUNT_B + ":rest-b"), created.body());
        Rest listedB = rest(keyB, secretB, "GET", "/v1/topics", "", null);
        assertEquals(200, listedB.status(), listedB.body());
        assertTrue(listedB.body().contains("\"account\":\"" + ACCOUNT_B + "\""), listedB.body());
        assertFalse(listedB.body().contains(ACCOUNT_A), listedB.body());
        // A's topic by name is looked up in B's own account; named in A's, B's key is refused.
        assertEquals(404, rest(keyB, secretB, "GET", "/v1/topics/a-private", "", null).status());
        assertEquals(403, rest(keyB, secretB, "GET", "/v1/topics/a-private", "account=" + ACCOUNT_A, null).status());
        assertEquals(403, rest(keyB, secretB, "POST", "/v1/topics/a-private/publish", "account=" + ACCOUNT_A,
                "{\"message\":\"from b\"}").status());
        assertEquals(403, rest(keyB, secretB, "DELETE", "/v1/topics/a-private", "account=" + ACCOUNT_A, null).status());
        assertEquals(403, rest(keyB, secretB, "GET", "/v1/topics", "account=" + ACCOUNT_A, null).status());
        assertEquals("A's", snsA.getTopicAttributes(r -> r.topicArn(privateTopic)).attributes().get("DisplayName"));

        Rest listedByOperator = rest(AccountIsolationIT.KEY_OPS, AccountIsolationIT.SECRET_OPS, "GET", "/v1/topics", "", null);
        assertTrue(listedByOperator.body().contains(privateTopic) && listedByOperator.body()
                .contains("arn:aws:sns:us-east-1:" + ACCOUNT_B + ":rest-b"), listedByOperator.body());
        Rest topicOfB = rest(AccountIsolationIT.KEY_OPS, AccountIsolationIT.SECRET_OPS, "GET", "/v1/topics/rest-b",
                "account=" + ACCOUNT_B, null);
        assertEquals(200, topicOfB.status(), topicOfB.body());
    }

    @Test
    void functionsAndMappingsBelongToTheirAccountAndAMappingReadsOnlyItsAccountsQueues() throws Exception {
        String keyA = AccountIsolationIT.KEY_A;
        String secretA = AccountIsolationIT.SECRET_A;
        String keyB = AccountIsolationIT.KEY_B;
        String secretB = AccountIsolationIT.SECRET_B;
        String function = "{\"FunctionName\":\"%s\",\"InvokeUrl\":\"http://127.0.0.1:9/invoke\"}";
        assertEquals(201, rest(keyA, secretA, "POST", "/v1/functions", "", function.formatted("fn-a")).status());
        Rest createdB = rest(keyB, secretB, "POST", "/v1/functions", "", function.formatted("fn-b"));
        assertEquals(201, createdB.status(), createdB.body());
        assertTrue(createdB.body().contains("arn:aws:lambda:us-east-1:" + ACCOUNT_B + ":function:fn-b"), createdB.body());
        assertTrue(createdB.body().contains("\"FunctionName\":\"fn-b\""), createdB.body());
        // The same name in another account is another function.
        assertEquals(201, rest(keyB, secretB, "POST", "/v1/functions", "", function.formatted("fn-a")).status());
        assertEquals(204, rest(keyB, secretB, "DELETE", "/v1/functions/fn-a", "", null).status());
        assertEquals(200, rest(keyA, secretA, "GET", "/v1/functions/fn-a", "", null).status());

        Rest listedB = rest(keyB, secretB, "GET", "/v1/functions", "", null);
        assertTrue(listedB.body().contains("fn-b") && !listedB.body().contains(":" + ACCOUNT_A + ":"), listedB.body());
        Rest listedA = rest(keyA, secretA, "GET", "/v1/functions", "", null);
        assertTrue(listedA.body().contains("fn-a") && !listedA.body().contains("fn-b"), listedA.body());

        String mapping = "{\"FunctionName\":\"%s\",\"EventSourceArn\":\"%s\",\"Enabled\":false}";
        String queueArnA = queueArn(sqsA, sqsA.createQueue(r -> r.queueName("a-feed")).queueUrl());
        String queueArnB = queueArn(sqsB, sqsB.createQueue(r -> r.queueName("b-feed")).queueUrl());
        // B's mapping may not read A's queue: answered as a missing queue.
        Rest refused = rest(keyB, secretB, "POST", "/v1/event-source-mappings", "", mapping.formatted("fn-b", queueArnA));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("does not exist"), refused.body());
        Rest mappedA = rest(keyA, secretA, "POST", "/v1/event-source-mappings", "", mapping.formatted("fn-a", queueArnA));
        assertEquals(202, mappedA.status(), mappedA.body());
        String uuidA = mappedA.body().replaceAll(".*\"UUID\":\"([^\"]+)\".*", "$1");
        assertEquals(202, rest(keyB, secretB, "POST", "/v1/event-source-mappings", "", mapping.formatted("fn-b", queueArnB))
                .status());
        Rest mappingsB = rest(keyB, secretB, "GET", "/v1/event-source-mappings", "", null);
        assertTrue(mappingsB.body().contains("b-feed") && !mappingsB.body().contains(uuidA), mappingsB.body());
        assertEquals(404, rest(keyB, secretB, "GET", "/v1/event-source-mappings/" + uuidA, "", null).status());
        assertEquals(404, rest(keyB, secretB, "PUT", "/v1/event-source-mappings/" + uuidA, "", "{\"Enabled\":true}").status());
        assertEquals(404, rest(keyB, secretB, "DELETE", "/v1/event-source-mappings/" + uuidA, "", null).status());
        Rest stillA = rest(keyA, secretA, "GET", "/v1/event-source-mappings/" + uuidA, "", null);
        assertEquals(200, stillA.status());
        assertTrue(stillA.body().contains("\"State\":\"Disabled\""), stillA.body());

        Rest activityB = rest(keyB, secretB, "GET", "/v1/function-activity", "", null);
        assertEquals(200, activityB.status(), activityB.body());
        assertFalse(activityB.body().contains(uuidA) || activityB.body().contains("fn-a"), activityB.body());
        Rest listedByOperator = rest(AccountIsolationIT.KEY_OPS, AccountIsolationIT.SECRET_OPS, "GET", "/v1/functions", "",
                null);
        assertTrue(listedByOperator.body().contains("function:fn-a") && listedByOperator.body()
                .contains(ACCOUNT_B + ":function:fn-b"), listedByOperator.body());
        // A lambda subscription invokes a function of the subscriber's own account only.
        String topicB = snsB.createTopic(r -> r.name("b-to-functions")).topicArn();
        assertThrows(AuthorizationErrorException.class, () -> snsB.subscribe(r -> r.topicArn(topicB).protocol("lambda")
                .endpoint("arn:aws:lambda:us-east-1:" + ACCOUNT_A + ":function:fn-a")));
    }

    @Test
    void anotherAccountsMappingAndLambdaSubscriptionInvokeThatAccountsFunction() throws Exception {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer function = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        function.createContext("/invoke", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        function.start();
        try {
            String keyB = AccountIsolationIT.KEY_B;
            String secretB = AccountIsolationIT.SECRET_B;
            String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/invoke";
            assertEquals(201, rest(keyB, secretB, "POST", "/v1/functions", "",
                    "{\"FunctionName\":\"fn-live\",\"InvokeUrl\":\"" + url + "\"}").status());
            String queueB = sqsB.createQueue(r -> r.queueName("b-live")).queueUrl();
            Rest mapped = rest(keyB, secretB, "POST", "/v1/event-source-mappings", "", "{\"FunctionName\":\"fn-live\","
                    + "\"EventSourceArn\":\"" + queueArn(sqsB, queueB) + "\",\"BatchSize\":1}");
            assertEquals(202, mapped.status(), mapped.body());
            sqsB.sendMessage(r -> r.queueUrl(queueB).messageBody("to b's function"));
            String topicB = snsB.createTopic(r -> r.name("b-lambda")).topicArn();
            snsB.subscribe(r -> r.topicArn(topicB).protocol("lambda")
                    .endpoint("arn:aws:lambda:us-east-1:" + ACCOUNT_B + ":function:fn-live"));
            snsB.publish(r -> r.topicArn(topicB).message("via sns"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !(received.stream().anyMatch(body -> body.contains("to b's function"))
                    && received.stream().anyMatch(body -> body.contains("via sns")))) {
                sleepPast(100);
            }
            assertTrue(received.stream().anyMatch(body -> body.contains("to b's function")), received.toString());
            assertTrue(received.stream().anyMatch(body -> body.contains("via sns")), received.toString());
        } finally {
            function.stop(0);
        }
    }

    private record Rest(int status, String body) {
    }

    /** A signed REST request, its status and body. */
    private static Rest rest(String key, String secret, String method, String path, String query, String body)
            throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path
                + (query.isEmpty() ? "" : "?" + query))).method(method, body == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, String> signed = body == null ? Map.of() : Map.of("Content-Type", "application/json");
        new RawSigner(key, secret, server.port()).headers(method, path, query, signed, bytes, null, "sns",
                java.time.Instant.now()).stream().filter(header -> !header.getKey().equalsIgnoreCase("host"))
                .forEach(header -> request.header(header.getKey(), header.getValue()));
        var answer = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Rest(answer.statusCode(), answer.body());
    }

    /** Longer than fanout keeps a queue Policy's decision (notify's SubscriberQueues.RECHECK_NANOS, one second). */
    private static final long SECOND_AND_A_HALF = 1_500;

    private static void sleepPast(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String queueArn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private static SnsClient sns(String key, String secret) {
        return SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }
}
