package dev.sluice.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The attack of issue 12: a tenant whom topic B's Policy denies Publish tries every route into B's internal
 * outbox (an sqs subscription on its own topic with raw delivery, dead-letter redrives from queues and
 * subscriptions, message move tasks, SendMessage in both SQS protocols, the REST API, an event source mapping)
 * to make B's subscribers receive a forged record. Each route answers as it does for a queue that does not
 * exist, and B's queue and webhook subscribers receive only what B's owner published.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InternalQueueAttackIT {
    private static final String OPS = "AKIDVICTIMOPS";
    private static final String OPS_SECRET = "ops-secret-1234";
    private static final String APP = "AKIDATTACKER";
    private static final String APP_SECRET = "app-secret-5678";
    private static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A name no queue has, as long as the outbox's name: what the outbox must be indistinguishable from. */
    private static final String ABSENT = "tenant-absent-q-";

    @TempDir
    static Path data;
    static SqsTestServer server;
    static URI endpoint;
    static WebhookEndpoint hook;
    static SqsClient ops;
    static SqsClient app;
    static SnsClient opsSns;
    static SnsClient appSns;
    static String victimTopic;
    static String victimInbox;
    static String outboxName;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config
                .withAuth(new SluiceConfig.Auth(List.of(new SluiceConfig.AccessKey(OPS, OPS_SECRET),
                        new SluiceConfig.AccessKey(APP, APP_SECRET))))
                .withNotifications(new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))));
        endpoint = URI.create("http://127.0.0.1:" + server.port());
        ops = sqs(OPS, OPS_SECRET);
        app = sqs(APP, APP_SECRET);
        opsSns = sns(OPS, OPS_SECRET);
        appSns = sns(APP, APP_SECRET);
        hook = new WebhookEndpoint(delivery -> 200);

        victimTopic = opsSns.createTopic(b -> b.name("victim")).topicArn();
        outboxName = server.sluice().queueClient().listQueues(new ListQueuesRequest(ReservedQueueNames.PREFIX + "topic-",
                null, null)).join().queueUrls().stream().map(url -> url.substring(url.lastIndexOf('/') + 1))
                .findFirst().orElseThrow();
        opsSns.setTopicAttributes(b -> b.topicArn(victimTopic).attributeName("Policy").attributeValue(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::" + ACCOUNT + ":user/" + APP + "\"},\"Action\":\"sns:Publish\",\"Resource\":\""
                        + victimTopic + "\"}]}"));
        victimInbox = ops.createQueue(b -> b.queueName("victim-inbox")).queueUrl();
        opsSns.subscribe(b -> b.topicArn(victimTopic).protocol("sqs").endpoint(arn("victim-inbox"))
                .attributes(Map.of("RawMessageDelivery", "true")));
        opsSns.subscribe(b -> b.topicArn(victimTopic).protocol("http").endpoint(hook.url("/victim")));
        String confirm = JSON.readTree(hook.await(d -> d.body().contains("SubscriptionConfirmation"), 1, 15).get(0)
                .body()).get("SubscribeURL").asText();
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(confirm)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {ops, app, opsSns, appSns, hook, server}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static SqsClient sqs(String key, String secret) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static SnsClient sns(String key, String secret) {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static String arn(String queueName) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queueName;
    }

    private static String url(String queueName) {
        return endpoint + "/" + ACCOUNT + "/" + queueName;
    }

    /** A name as long as the outbox's that no queue has. */
    private static String absent() {
        return ABSENT + outboxName.substring(ReservedQueueNames.PREFIX.length());
    }

    /** A record in B's outbox format: were it fanned out, B's subscribers would receive "FORGED". */
    private static String forgedRecord() {
        return "{\"v\":1,\"id\":\"00000000-0000-0000-0000-000000000001\",\"topic\":\"" + victimTopic
                + "\",\"message\":\"FORGED\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"attributes\":{}}";
    }

    /** What a call answers: "ok", or the AWS error's status, code and message with the outbox's name made generic. */
    private static String answer(Function<String, Object> call, String queueName) {
        try {
            call.apply(queueName);
            return "ok";
        } catch (AwsServiceException e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode() + " "
                    + e.awsErrorDetails().errorMessage().replace(queueName, "<queue>");
        }
    }

    /** The call names the outbox and, again, a queue that does not exist: both answers must be the same. */
    private static String assertAnsweredAsMissing(Function<String, Object> call) {
        String missing = answer(call, absent());
        assertEquals(missing, answer(call, outboxName));
        return missing;
    }

    private static HttpResponse<String> rest(String method, String path, String body) throws Exception {
        URI uri = endpoint.resolve(path);
        Map<String, String> headers = new TreeMap<>(Map.of("Content-Type", "application/json"));
        headers.putAll(new SigV4Signer("sqs", "us-east-1").sign(method, uri, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), AwsCredentials.of(APP, APP_SECRET), Instant.now()).headers());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void theAttackerMayNotPublishToTheVictimTopic() {
        AwsServiceException denied = assertThrows(AwsServiceException.class,
                () -> appSns.publish(b -> b.topicArn(victimTopic).message(forgedRecord())));
        assertEquals("AuthorizationError", denied.awsErrorDetails().errorCode());
    }

    @Test
    @Order(2)
    void aRawSqsSubscriptionToTheOutboxSubscribesAsToAMissingQueueAndDeliversNothingIntoIt() {
        String attackerTopic = appSns.createTopic(b -> b.name("attacker")).topicArn();
        String subscribed = assertAnsweredAsMissing(queue -> appSns.subscribe(b -> b.topicArn(attackerTopic)
                .protocol("sqs").endpoint(arn(queue)).attributes(Map.of("RawMessageDelivery", "true"))));
        assertEquals("ok", subscribed, "SNS subscribes a queue ARN without looking the queue up");
        appSns.publish(b -> b.topicArn(attackerTopic).message(forgedRecord()));
    }

    @Test
    @Order(3)
    void aSubscriptionDeadLetterQueueOnTheOutboxIsAnsweredAsAMissingOne() {
        String attackerTopic = appSns.createTopic(b -> b.name("attacker-redrive")).topicArn();
        String redrive = "{\"deadLetterTargetArn\":\"%s\"}";
        // An sqs subscription whose queue is missing sends its copies to its dead-letter queue.
        assertAnsweredAsMissing(queue -> appSns.subscribe(b -> b.topicArn(attackerTopic).protocol("sqs")
                .endpoint(arn("gone-" + queue)).attributes(Map.of("RawMessageDelivery", "true",
                        "RedrivePolicy", redrive.formatted(arn(queue))))));
        // A webhook subscription's failed deliveries are redriven to its dead-letter queue.
        assertAnsweredAsMissing(queue -> appSns.subscribe(b -> b.topicArn(attackerTopic).protocol("http")
                .endpoint("http://127.0.0.1:9/refuses/" + queue).attributes(Map.of("RedrivePolicy", redrive.formatted(arn(queue))))));
        String subscription = appSns.subscribe(b -> b.topicArn(attackerTopic).protocol("sqs")
                .endpoint(arn("attacker-gone-too")).returnSubscriptionArn(true)).subscriptionArn();
        assertAnsweredAsMissing(queue -> appSns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription)
                .attributeName("RedrivePolicy").attributeValue(redrive.formatted(arn(queue)))));
        appSns.publish(b -> b.topicArn(attackerTopic).message(forgedRecord()));
    }

    @Test
    @Order(4)
    void aQueueRedrivePolicyOnTheOutboxIsAnsweredAsAMissingDeadLetterQueue() {
        String redrive = "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":1}";
        String refused = assertAnsweredAsMissing(queue -> app.createQueue(b -> b.queueName("attacker-source")
                .attributes(Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.REDRIVE_POLICY,
                        redrive.formatted(arn(queue))))));
        assertTrue(refused.contains("InvalidParameterValue") && refused.contains("Dead letter target does not exist"), refused);
        String source = app.createQueue(b -> b.queueName("attacker-source")).queueUrl();
        assertAnsweredAsMissing(queue -> app.setQueueAttributes(b -> b.queueUrl(source).attributesWithStrings(
                Map.of("RedrivePolicy", redrive.formatted(arn(queue))))));
    }

    @Test
    @Order(4)
    void aRedriveAllowPolicyNamingAnInternalQueueIsRefusedWhetherOrNotTheQueueExists() {
        String deadLetters = app.createQueue(b -> b.queueName("attacker-allowing")).queueUrl();
        String allow = "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"%s\"]}";
        List<String> answers = new ArrayList<>();
        for (String queue : List.of(outboxName, ReservedQueueNames.PREFIX + "topic-none", "not:an:arn")) {
            answers.add(answer(name -> app.setQueueAttributes(b -> b.queueUrl(deadLetters).attributesWithStrings(
                    Map.of("RedriveAllowPolicy", allow.formatted(name)))), queue));
        }
        // Refused as a malformed ARN is: no tenant may let an internal queue redrive into its queue.
        assertEquals(List.of(answers.get(2), answers.get(2), answers.get(2)), answers);
        assertTrue(answers.get(0).contains("InvalidAttributeValue"), answers.get(0));
    }

    @Test
    @Order(5)
    void messageMoveTasksNeitherStartNorEndAtTheOutbox() {
        String deadLetters = app.createQueue(b -> b.queueName("attacker-dlq")).queueUrl();
        String source = app.createQueue(b -> b.queueName("attacker-main")).queueUrl();
        app.setQueueAttributes(b -> b.queueUrl(source).attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn("attacker-dlq") + "\",\"maxReceiveCount\":1}")));
        app.sendMessage(b -> b.queueUrl(deadLetters).messageBody(forgedRecord()));

        String fromOutbox = assertAnsweredAsMissing(queue -> app.startMessageMoveTask(b -> b.sourceArn(arn(queue))));
        assertTrue(fromOutbox.startsWith("400 ResourceNotFoundException"), fromOutbox);
        String intoOutbox = assertAnsweredAsMissing(queue -> app.startMessageMoveTask(b -> b.sourceArn(arn("attacker-dlq"))
                .destinationArn(arn(queue))));
        assertTrue(intoOutbox.contains("DestinationArn"), intoOutbox);
        assertAnsweredAsMissing(queue -> app.listMessageMoveTasks(b -> b.sourceArn(arn(queue))));
    }

    @Test
    @Order(6)
    void sendingToTheOutboxUrlFindsNoQueueInEitherSqsProtocol() {
        String json = assertAnsweredAsMissing(queue -> app.sendMessage(b -> b.queueUrl(url(queue)).messageBody(forgedRecord())));
        assertTrue(json.startsWith("400 AWS.SimpleQueueService.NonExistentQueue"), json);
        assertAnsweredAsMissing(queue -> app.sendMessageBatch(b -> b.queueUrl(url(queue)).entries(
                entry -> entry.id("a").messageBody(forgedRecord()))));
        assertAnsweredAsMissing(queue -> app.getQueueUrl(b -> b.queueName(queue)));
        assertAnsweredAsMissing(queue -> app.receiveMessage(b -> b.queueUrl(url(queue))));
        assertAnsweredAsMissing(queue -> app.purgeQueue(b -> b.queueUrl(url(queue))));

        com.amazonaws.services.sqs.AmazonSQS query = com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        endpoint.toString(), "us-east-1"))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials(APP, APP_SECRET))).build();
        try {
            List<String> answers = new ArrayList<>();
            for (String queue : List.of(absent(), outboxName)) {
                try {
                    query.sendMessage(url(queue), forgedRecord());
                    answers.add("ok");
                } catch (com.amazonaws.services.sqs.model.AmazonSQSException e) {
                    answers.add(e.getStatusCode() + " " + e.getErrorCode() + " " + e.getErrorMessage());
                }
            }
            assertEquals(answers.get(0), answers.get(1));
            assertTrue(answers.get(1).startsWith("400 AWS.SimpleQueueService.NonExistentQueue"), answers.get(1));
        } finally {
            query.shutdown();
        }
    }

    @Test
    @Order(7)
    void theRestApiFindsNoOutbox() throws Exception {
        for (String path : List.of("/v1/queues/%s/messages", "/v1/queues/%s")) {
            HttpResponse<String> missing = rest("POST", path.formatted(absent()), forgedRecord());
            HttpResponse<String> outbox = rest("POST", path.formatted(outboxName), forgedRecord());
            assertEquals(missing.statusCode(), outbox.statusCode(), outbox.body());
            assertEquals(JSON.readTree(missing.body()).get("code"), JSON.readTree(outbox.body()).get("code"), outbox.body());
        }
        HttpResponse<String> outbox = rest("POST", "/v1/queues/" + outboxName + "/messages", forgedRecord());
        assertEquals(404, outbox.statusCode(), outbox.body());
        assertEquals("QueueDoesNotExist", JSON.readTree(outbox.body()).get("code").asText());
    }

    @Test
    @Order(8)
    void anEventSourceMappingOnTheOutboxFindsNoQueue() throws Exception {
        assertEquals(201, rest("POST", "/v1/functions",
                "{\"FunctionName\":\"attacker-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/x\"}").statusCode());
        String mapping = "{\"FunctionName\":\"attacker-fn\",\"EventSourceArn\":\"%s\"}";
        HttpResponse<String> missing = rest("POST", "/v1/event-source-mappings", mapping.formatted(arn(absent())));
        HttpResponse<String> outbox = rest("POST", "/v1/event-source-mappings", mapping.formatted(arn(outboxName)));
        assertTrue(missing.statusCode() >= 400, missing.body());
        assertEquals(missing.statusCode(), outbox.statusCode(), outbox.body());
        JsonNode missingError = JSON.readTree(missing.body());
        JsonNode outboxError = JSON.readTree(outbox.body());
        assertEquals(missingError.get("code"), outboxError.get("code"), outbox.body());
        assertEquals(missingError.get("message").asText().replace(absent(), "<queue>"),
                outboxError.get("message").asText().replace(outboxName, "<queue>"));
    }

    @Test
    @Order(9)
    void theVictimsSubscribersReceiveOnlyWhatTheVictimPublished() throws Exception {
        opsSns.publish(b -> b.topicArn(victimTopic).message("genuine"));
        List<WebhookEndpoint.Delivery> genuine = hook.await(d -> d.body().contains("genuine"), 1, 30);
        assertEquals(1, genuine.size());
        List<String> inbox = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // The attacker's topics keep retrying their copies meanwhile; a forged record would show up here.
        while (System.nanoTime() < deadline) {
            ops.receiveMessage(b -> b.queueUrl(victimInbox).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages().forEach(message -> inbox.add(message.body()));
        }
        assertEquals(List.of("genuine"), inbox);
        assertTrue(hook.deliveries().stream().noneMatch(d -> d.body().contains("FORGED")), hook.deliveries().toString());
    }
}
