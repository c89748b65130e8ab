package dev.sluice.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.clientsdk.signature.SnsMessageSignature;
import dev.sluice.faasbridge.function.SnsEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * SNS topics invoking bridge functions ({@code lambda} / {@code function} subscriptions): Lambda's SNS
 * event with a valid signature, filter policies, Lambda's retries (shortened to 1 s here), the
 * subscription dead-letter queue, in-process handlers, and what Subscribe refuses.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SnsFunctionSubscriptionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCOUNT = "000000000000";
    @TempDir
    static Path data;
    static BridgeTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = BridgeTestServer.start(data, BridgeTestServer.settings(), config -> config.withNotifications(
                config.notifications().withFunctionRetryDelays(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)))));
        sns = SnsClients.client(server.server.httpPort());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    private static String functionArn(String name) {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name;
    }

    private static void createFunction(String json) throws Exception {
        HttpResponse<String> created = server.post("/v1/functions", json);
        assertEquals(201, created.statusCode(), created.body());
    }

    private static List<JsonNode> awaitEvents(FunctionServer function, int count, Duration timeout) throws InterruptedException {
        BridgeTestServer.await(() -> function.events().size() >= count, timeout, count + " function invocations");
        return function.events();
    }

    private static String subscribe(String topic, String protocol, String endpoint, Map<String, String> attributes) {
        return sns.subscribe(b -> b.topicArn(topic).protocol(protocol).endpoint(endpoint).attributes(attributes))
                .subscriptionArn();
    }

    @Test
    void anHttpFunctionGetsLambdasSnsEventSignedForItsFilterPolicyOnly() throws Exception {
        try (FunctionServer function = new FunctionServer()) {
            createFunction("{\"FunctionName\":\"pager\",\"InvokeUrl\":\"" + function.url() + "\",\"Timeout\":3}");
            String topic = sns.createTopic(b -> b.name("alerts")).topicArn();
            String subscription = subscribe(topic, "lambda", functionArn("pager"),
                    Map.of("FilterPolicy", "{\"severity\":[\"high\"]}"));
            assertTrue(subscription.startsWith(topic + ":"), "confirmed at once: " + subscription);
            Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
            assertEquals("lambda", attributes.get("Protocol"));
            assertEquals(functionArn("pager"), attributes.get("Endpoint"));
            assertEquals("false", attributes.get("PendingConfirmation"));
            var listed = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0);
            assertEquals(List.of(subscription, "lambda", functionArn("pager")),
                    List.of(listed.subscriptionArn(), listed.protocol(), listed.endpoint()));

            sns.publish(b -> b.topicArn(topic).message("low disk").messageAttributes(Map.of("severity",
                    MessageAttributeValue.builder().dataType("String").stringValue("low").build())));
            String messageId = sns.publish(b -> b.topicArn(topic).message("disk full on db-1").subject("Disk full")
                    .messageAttributes(Map.of(
                            "severity", MessageAttributeValue.builder().dataType("String").stringValue("high").build(),
                            "count", MessageAttributeValue.builder().dataType("Number").stringValue("3").build())))
                    .messageId();

            JsonNode event = awaitEvents(function, 1, Duration.ofSeconds(15)).get(0);
            assertEquals(Set.of("Records"), fieldNames(event));
            assertEquals(1, event.get("Records").size());
            JsonNode record = event.get("Records").get(0);
            assertEquals(Set.of("EventVersion", "EventSubscriptionArn", "EventSource", "Sns"), fieldNames(record));
            assertEquals("1.0", record.get("EventVersion").asText());
            assertEquals(subscription, record.get("EventSubscriptionArn").asText());
            assertEquals("aws:sns", record.get("EventSource").asText());
            JsonNode message = record.get("Sns");
            assertEquals(Set.of("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                    "Signature", "SigningCertUrl", "UnsubscribeUrl", "MessageAttributes"), fieldNames(message));
            assertEquals("Notification", message.get("Type").asText());
            assertEquals(messageId, message.get("MessageId").asText());
            assertEquals(topic, message.get("TopicArn").asText());
            assertEquals("Disk full", message.get("Subject").asText());
            assertEquals("disk full on db-1", message.get("Message").asText());
            assertTrue(message.get("Timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                    message.get("Timestamp").asText());
            assertEquals("1", message.get("SignatureVersion").asText());
            String base = "http://127.0.0.1:" + server.server.httpPort();
            assertEquals(base + "/sns/SimpleNotificationService-sluice.pem", message.get("SigningCertUrl").asText());
            assertTrue(message.get("UnsubscribeUrl").asText().matches(java.util.regex.Pattern.quote(base
                    + "/?Action=Unsubscribe&SubscriptionArn=" + URLEncoder.encode(subscription, StandardCharsets.UTF_8))
                    + "&Token=[0-9a-f]{64}"), message.get("UnsubscribeUrl").asText());
            assertEquals(JSON.readTree("{\"severity\":{\"Type\":\"String\",\"Value\":\"high\"},"
                    + "\"count\":{\"Type\":\"Number\",\"Value\":\"3\"}}"), message.get("MessageAttributes"));
            assertTrue(SnsMessageSignature.verify(signedFields(message), certificate(message.get("SigningCertUrl").asText())), "the signature verifies with the certificate at SigningCertUrl");
            Map<String, String> tampered = signedFields(message);
            tampered.put("Message", "disk fine");
            assertFalse(SnsMessageSignature.verify(tampered, certificate(message.get("SigningCertUrl").asText())));

            Thread.sleep(1000);
            assertEquals(1, function.events().size(), "invoked once: the low-severity message was filtered out");
        }
    }

    @Test
    void aPublishWithoutSubjectHasANullSubjectAndAMessageStructureGivesTheLambdaBody() throws Exception {
        try (FunctionServer function = new FunctionServer()) {
            createFunction("{\"FunctionName\":\"plain\",\"InvokeUrl\":\"" + function.url() + "\"}");
            String topic = sns.createTopic(b -> b.name("plain-topic")).topicArn();
            subscribe(topic, "function", functionArn("plain"), Map.of());
            sns.publish(b -> b.topicArn(topic).message("no subject"));
            JsonNode message = awaitEvents(function, 1, Duration.ofSeconds(15)).get(0).get("Records").get(0).get("Sns");
            assertTrue(message.get("Subject").isNull(), message.toString());
            assertEquals(JSON.createObjectNode(), message.get("MessageAttributes"));
            assertTrue(SnsMessageSignature.verify(signedFields(message), certificate(message.get("SigningCertUrl").asText())));

            // A per-protocol message: functions get the "lambda" body, under either protocol name.
            sns.publish(b -> b.topicArn(topic).messageStructure("json")
                    .message("{\"default\":\"for others\",\"lambda\":\"for functions\"}"));
            assertEquals("for functions", awaitEvents(function, 2, Duration.ofSeconds(15)).get(1).get("Records").get(0)
                    .get("Sns").get("Message").asText());
        }
    }

    @Test
    void aFunctionFailingItsFirstAttemptIsRetriedAfterTheRetryDelayAndSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (FunctionServer function = new FunctionServer()) {
            function.respond(event -> calls.incrementAndGet() == 1
                    ? new FunctionServer.Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"),
                            "{\"errorType\":\"Boom\",\"errorMessage\":\"first call fails\"}", 0)
                    : FunctionServer.Reply.ok("null"));
            createFunction("{\"FunctionName\":\"flaky\",\"InvokeUrl\":\"" + function.url() + "\"}");
            String topic = sns.createTopic(b -> b.name("flaky-topic")).topicArn();
            String dlq = server.createQueue("flaky-dlq", Map.of());
            subscribe(topic, "function", functionArn("flaky"), Map.of("RedrivePolicy",
                    "{\"deadLetterTargetArn\":\"" + server.queueArn("flaky-dlq") + "\"}"));
            String messageId = sns.publish(b -> b.topicArn(topic).message("try again")).messageId();
            long started = System.nanoTime();
            List<JsonNode> events = awaitEvents(function, 2, Duration.ofSeconds(15));
            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900), "the retry waited its delay");
            for (JsonNode event : events) {
                assertEquals(messageId, event.get("Records").get(0).get("Sns").get("MessageId").asText());
            }
            Thread.sleep(2500);
            assertEquals(2, function.events().size(), "no invocation after the success");
            assertEquals(0, server.sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(0)).messages().size());
        }
    }

    @Test
    void failuresEndInTheSubscriptionDeadLetterQueueAfterLambdasThreeAttempts() throws Exception {
        try (FunctionServer function = new FunctionServer()) {
            function.respond(event -> new FunctionServer.Reply(500, Map.of(), "down", 0));
            createFunction("{\"FunctionName\":\"broken\",\"InvokeUrl\":\"" + function.url() + "\"}");
            String topic = sns.createTopic(b -> b.name("doomed-functions")).topicArn();
            String dlq = server.createQueue("doomed-functions-dlq", Map.of());
            String redrive = "{\"deadLetterTargetArn\":\"" + server.queueArn("doomed-functions-dlq") + "\"}";
            subscribe(topic, "lambda", functionArn("broken"), Map.of("RedrivePolicy", redrive));
            // A function that does not exist is a failed attempt too (SNS does not check at Subscribe); this
            // one gets its dead-letter queue afterwards.
            String missing = subscribe(topic, "lambda", functionArn("never-created"), Map.of());
            sns.setSubscriptionAttributes(b -> b.subscriptionArn(missing).attributeName("RedrivePolicy").attributeValue(redrive));
            String messageId = sns.publish(b -> b.topicArn(topic).message("undeliverable").subject("S")).messageId();

            List<JsonNode> dead = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dead.size() < 2 && System.nanoTime() < deadline) {
                for (var received : server.sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).maxNumberOfMessages(10))
                        .messages()) {
                    dead.add(JSON.readTree(received.body()));
                }
            }
            assertEquals(2, dead.size(), "one dead letter per subscription");
            for (JsonNode envelope : dead) {
                // What the HTTP path puts there too: the signed Notification envelope.
                assertEquals("Notification", envelope.get("Type").asText());
                assertEquals(messageId, envelope.get("MessageId").asText());
                assertEquals("undeliverable", envelope.get("Message").asText());
                Map<String, String> fields = new HashMap<>();
                envelope.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
                assertTrue(SnsMessageSignature.verify(fields, certificate(fields.get("SigningCertURL"))));
            }
            assertEquals(3, function.events().size(), "the first attempt and Lambda's two retries");
        }
    }

    @Test
    void invocationsKeepToTheFunctionsReservedConcurrency() throws Exception {
        try (FunctionServer function = new FunctionServer()) {
            function.respond(event -> FunctionServer.Reply.okAfter(400));
            createFunction("{\"FunctionName\":\"serial\",\"InvokeUrl\":\"" + function.url() + "\",\"Timeout\":3,"
                    + "\"ReservedConcurrentExecutions\":1}");
            String topic = sns.createTopic(b -> b.name("serial-topic")).topicArn();
            subscribe(topic, "lambda", functionArn("serial"), Map.of());
            sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                    e -> e.id("a").message("one"), e -> e.id("b").message("two"), e -> e.id("c").message("three")));
            awaitEvents(function, 3, Duration.ofSeconds(15));
            assertEquals(1, function.maxInFlight(), "one invocation at a time");
            Thread.sleep(1000);
            assertEquals(3, function.events().size(), "each once: none was throttled past the function's timeout");
        }
    }

    @Test
    void anInvocationRunningPastTheFunctionsTimeoutIsAFailedAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (FunctionServer function = new FunctionServer()) {
            function.respond(event -> FunctionServer.Reply.okAfter(calls.incrementAndGet() == 1 ? 2500 : 0));
            createFunction("{\"FunctionName\":\"slow\",\"InvokeUrl\":\"" + function.url() + "\",\"Timeout\":1}");
            String topic = sns.createTopic(b -> b.name("slow-topic")).topicArn();
            subscribe(topic, "lambda", functionArn("slow"), Map.of());
            sns.publish(b -> b.topicArn(topic).message("slow"));
            awaitEvents(function, 2, Duration.ofSeconds(15));
            Thread.sleep(2500);
            assertEquals(2, function.events().size(), "the timed-out attempt and one retry that succeeded");
        }
    }

    @Test
    void anInProcessJavaHandlerReceivesTheTypedSnsEvent() throws Exception {
        createFunction("{\"FunctionName\":\"java-recorder\",\"Handler\":\"" + SnsRecordingHandler.NAME + "\"}");
        String topic = sns.createTopic(b -> b.name("to-java")).topicArn();
        String subscription = subscribe(topic, "lambda", functionArn("java-recorder"), Map.of());
        Path file = data.resolve("java-handler-event.json");
        String messageId = sns.publish(b -> b.topicArn(topic).message(file.toString()).subject("typed")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String")
                        .stringValue("alert").build()))).messageId();
        BridgeTestServer.await(() -> Files.exists(file), Duration.ofSeconds(15), "the handler to write its event");
        SnsEvent event = JSON.readValue(Files.readString(file), SnsEvent.class);
        SnsEvent.Record record = event.records().get(0);
        assertEquals(subscription, record.eventSubscriptionArn());
        assertEquals("aws:sns", record.eventSource());
        assertEquals(messageId, record.sns().messageId());
        assertEquals("typed", record.sns().subject());
        assertEquals(file.toString(), record.sns().message());
        assertEquals(new SnsEvent.MessageAttribute("String", "alert"), record.sns().messageAttributes().get("kind"));
        Map<String, String> fields = new HashMap<>(Map.of("Type", record.sns().type(), "MessageId", messageId,
                "TopicArn", record.sns().topicArn(), "Subject", "typed", "Message", record.sns().message(),
                "Timestamp", record.sns().timestamp(), "SignatureVersion", record.sns().signatureVersion(),
                "Signature", record.sns().signature()));
        assertTrue(SnsMessageSignature.verify(fields, certificate(record.sns().signingCertUrl())));
    }

    @Test
    void subscribeRefusesWhatSnsRefusesForLambda() throws Exception {
        String topic = sns.createTopic(b -> b.name("checked")).topicArn();
        String fifo = sns.createTopic(b -> b.name("checked.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String arn = functionArn("anything");
        assertRefused("Invalid parameter: Lambda endpoint ARN", () -> subscribe(topic, "lambda", "pager", Map.of()));
        assertRefused("Invalid parameter: Lambda endpoint ARN",
                () -> subscribe(topic, "lambda", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":pager", Map.of()));
        assertRefused("Invalid parameter: Lambda endpoint ARN", () -> subscribe(topic, "function", arn + ":prod", Map.of()));
        assertRefused("Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.",
                () -> subscribe(topic, "lambda", arn, Map.of("RawMessageDelivery", "false")));
        assertRefused("Invalid parameter: DeliveryPolicy: only HTTP(S) subscriptions have a delivery policy",
                () -> subscribe(topic, "lambda", arn, Map.of("DeliveryPolicy",
                        "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1}}")));
        assertRefused("Invalid parameter: Invalid protocol type: lambda (FIFO topics deliver to SQS queues)",
                () -> subscribe(fifo, "lambda", arn, Map.of()));
        String subscription = subscribe(topic, "lambda", arn, Map.of());
        assertRefused("Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.",
                () -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("RawMessageDelivery")
                        .attributeValue("true")));
        assertEquals(subscription, subscribe(topic, "lambda", arn, Map.of()), "subscribing again answers the same ARN");
    }

    private static void assertRefused(String message, Executable call) {
        SnsException refused = org.junit.jupiter.api.Assertions.assertThrows(SnsException.class, call);
        assertEquals("InvalidParameter", refused.awsErrorDetails().errorCode());
        assertEquals(400, refused.statusCode());
        assertEquals(message, refused.awsErrorDetails().errorMessage());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The fields SNS signs, from Lambda's event (a null Subject is absent from the canonical string). */
    private static Map<String, String> signedFields(JsonNode message) {
        Map<String, String> fields = new HashMap<>();
        message.fields().forEachRemaining(field -> {
            if (field.getValue().isTextual()) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        });
        return fields;
    }

    private static java.security.cert.X509Certificate certificate(String url) throws Exception {
        return SnsMessageSignature.certificate(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
    }
}
