package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.signature.SnsMessageSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** SQS subscriptions through the AWS SDK v2 SNS and SQS clients: raw and envelope delivery, filter policies, batches. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnsFanoutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    private static String queue(String name) {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    private static String arnOf(String name) {
        return "arn:aws:sqs:us-east-1:000000000000:" + name;
    }

    /** Receives until {@code expected} messages arrived or 15 s passed, then briefly more to catch extras; deletes them. */
    private static List<Message> receive(String queueUrl, int expected) {
        List<Message> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            int wait = all.size() >= expected ? 1 : 2;
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(wait)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty() && all.size() >= expected) {
                break;
            }
            all.addAll(batch);
            batch.forEach(message -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())));
        }
        return all;
    }

    @Test
    void rawDeliveryCarriesTheMessageAndItsAttributes() {
        String topic = sns.createTopic(b -> b.name("raw")).topicArn();
        String url = queue("raw-target");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("raw-target"))
                .attributes(Map.of("RawMessageDelivery", "true")));
        sns.publish(b -> b.topicArn(topic).message("disk full").messageAttributes(Map.of(
                "severity", MessageAttributeValue.builder().dataType("String").stringValue("high").build(),
                "count", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("b")).build())));
        List<Message> received = receive(url, 1);
        assertEquals(1, received.size());
        Message message = received.get(0);
        assertEquals("disk full", message.body());
        assertEquals("high", message.messageAttributes().get("severity").stringValue());
        assertEquals("Number", message.messageAttributes().get("count").dataType());
        assertEquals("b", message.messageAttributes().get("blob").binaryValue().asUtf8String());
    }

    @Test
    void envelopeDeliveryIsSignedAndVerifiesWithTheServedCertificate() throws Exception {
        String topic = sns.createTopic(b -> b.name("enveloped")).topicArn();
        String url = queue("enveloped-target");
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("enveloped-target")))
                .subscriptionArn();
        String messageId = sns.publish(b -> b.topicArn(topic).message("hello").subject("Greeting").messageAttributes(Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue("greeting").build()))).messageId();
        List<Message> received = receive(url, 1);
        assertEquals(1, received.size());
        JsonNode envelope = JSON.readTree(received.get(0).body());
        assertEquals("Notification", envelope.path("Type").asText());
        assertEquals(messageId, envelope.path("MessageId").asText());
        assertEquals(topic, envelope.path("TopicArn").asText());
        assertEquals("Greeting", envelope.path("Subject").asText());
        assertEquals("hello", envelope.path("Message").asText());
        assertEquals("1", envelope.path("SignatureVersion").asText());
        assertEquals("greeting", envelope.path("MessageAttributes").path("kind").path("Value").asText());
        assertTrue(envelope.path("UnsubscribeURL").asText().contains(java.net.URLEncoder.encode(subscription, "UTF-8")));
        assertTrue(envelope.path("Timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        Map<String, String> fields = new HashMap<>();
        envelope.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
        byte[] pem = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fields.get("SigningCertURL"))).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        var certificate = SnsMessageSignature.certificate(pem);
        assertTrue(SnsMessageSignature.verify(fields, certificate));
        fields.put("Message", "tampered");
        assertFalse(SnsMessageSignature.verify(fields, certificate));
    }

    @Test
    void filterPoliciesOnAttributesAndBodyRouteToThreeQueues() {
        String topic = sns.createTopic(b -> b.name("routed")).topicArn();
        String red = queue("routed-red");
        String expensive = queue("routed-expensive");
        String orders = queue("routed-orders");
        for (var subscription : List.of(
                List.of("routed-red", "{\"color\":[\"red\"],\"size\":[{\"anything-but\":\"small\"}]}", "MessageAttributes"),
                List.of("routed-expensive", "{\"price\":[{\"numeric\":[\">\",100,\"<=\",1000]}]}", "MessageAttributes"),
                List.of("routed-orders", "{\"kind\":[{\"prefix\":\"order-\"}],\"customer\":{\"tier\":[\"gold\"]}}",
                        "MessageBody"))) {
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf(subscription.get(0))).attributes(Map.of(
                    "RawMessageDelivery", "true", "FilterPolicy", subscription.get(1),
                    "FilterPolicyScope", subscription.get(2))));
        }
        publish(topic, "red-large", Map.of("color", "red", "size", "large"), Map.of());
        publish(topic, "red-small", Map.of("color", "red", "size", "small"), Map.of());
        publish(topic, "blue-500", Map.of("color", "blue"), Map.of("price", "500"));
        publish(topic, "red-100", Map.of("color", "red"), Map.of("price", "100"));
        publish(topic, "{\"kind\":\"order-created\",\"customer\":{\"tier\":\"gold\"}}", Map.of(), Map.of());
        publish(topic, "{\"kind\":\"order-created\",\"customer\":{\"tier\":\"silver\"}}", Map.of(), Map.of());
        publish(topic, "not json", Map.of(), Map.of());
        // red-100 has no size: anything-but needs the attribute present; price 100 is not above 100.
        assertEquals(Set.of("red-large"), bodies(receive(red, 1)));
        assertEquals(Set.of("blue-500"), bodies(receive(expensive, 1)));
        assertEquals(Set.of("{\"kind\":\"order-created\",\"customer\":{\"tier\":\"gold\"}}"), bodies(receive(orders, 1)));
    }

    private static void publish(String topic, String message, Map<String, String> strings, Map<String, String> numbers) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        strings.forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder().dataType("String")
                .stringValue(value).build()));
        numbers.forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder().dataType("Number")
                .stringValue(value).build()));
        sns.publish(b -> b.topicArn(topic).message(message).messageAttributes(attributes));
    }

    private static Set<String> bodies(List<Message> messages) {
        Set<String> bodies = new TreeSet<>();
        messages.forEach(message -> bodies.add(message.body()));
        assertEquals(messages.size(), bodies.size(), "duplicates: " + messages);
        return bodies;
    }

    @Test
    void copiesForADeletedQueueGoToTheSubscriptionDeadLetterQueue() {
        String topic = sns.createTopic(b -> b.name("orphaned")).topicArn();
        String deadLetters = queue("orphaned-dlq");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("never-created")).attributes(Map.of(
                "RawMessageDelivery", "true", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arnOf("orphaned-dlq") + "\"}")));
        sns.publish(b -> b.topicArn(topic).message("nowhere to go"));
        assertEquals(Set.of("nowhere to go"), bodies(receive(deadLetters, 1)));
    }

    @Test
    void invalidFilterPoliciesAreRefused() {
        String topic = sns.createTopic(b -> b.name("filters")).topicArn();
        String endpoint = arnOf("nowhere");
        for (String policy : List.of("not json", "{\"a\":\"x\"}", "{\"a\":[{\"nope\":1}]}",
                "{\"a\":[\"1\"],\"b\":[\"1\"],\"c\":[\"1\"],\"d\":[\"1\"],\"e\":[\"1\"],\"f\":[\"1\"]}",
                "{\"nested\":{\"key\":[\"1\"]}}", "{\"n\":[{\"numeric\":[\">\",2000000000]}]}",
                "{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],\"b\":[1,2,3,4,5,6,7,8,9,10]}")) {
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                    .endpoint(endpoint).attributes(Map.of("FilterPolicy", policy))), policy);
        }
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(endpoint)
                .attributes(Map.of("FilterPolicy", "{\"nested\":{\"key\":[\"1\"]}}", "FilterPolicyScope", "MessageBody")))
                .subscriptionArn();
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(b -> b
                .subscriptionArn(subscription).attributeName("FilterPolicyScope").attributeValue("MessageAttributes")));
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(b -> b
                .subscriptionArn(subscription).attributeName("FilterPolicyScope").attributeValue("Everything")));
    }

    @Test
    void subscriptionsAreListedReadChangedAndRemoved() {
        String topic = sns.createTopic(b -> b.name("subscribed")).topicArn();
        String first = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("s1"))).subscriptionArn();
        assertEquals(first, sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("s1"))).subscriptionArn());
        String second = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("s2"))).subscriptionArn();
        List<String> byTopic = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().stream()
                .map(Subscription::subscriptionArn).sorted().toList();
        assertEquals(new TreeSet<>(List.of(first, second)).stream().toList(), byTopic);
        assertTrue(sns.listSubscriptions().subscriptions().stream().anyMatch(s -> s.subscriptionArn().equals(first)
                && s.protocol().equals("sqs") && s.endpoint().equals(arnOf("s1")) && s.topicArn().equals(topic)));
        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(first)).attributes();
        assertEquals("false", attributes.get("PendingConfirmation"));
        assertEquals("false", attributes.get("RawMessageDelivery"));
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(first).attributeName("RawMessageDelivery").attributeValue("true"));
        assertEquals("true", sns.getSubscriptionAttributes(b -> b.subscriptionArn(first)).attributes().get("RawMessageDelivery"));
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(first)
                .attributeName("RawMessageDelivery").attributeValue("maybe")));
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(first)
                .attributeName("RedrivePolicy").attributeValue("{\"deadLetterTargetArn\":\"nope\"}")));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("carrier-pigeon")
                .endpoint("x")));
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("not-an-arn")));
        sns.unsubscribe(b -> b.subscriptionArn(first));
        assertThrows(NotFoundException.class, () -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(first)));
        assertThrows(NotFoundException.class, () -> sns.unsubscribe(b -> b.subscriptionArn(first)));
        assertEquals(List.of(second), sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().stream()
                .map(Subscription::subscriptionArn).toList());
        sns.deleteTopic(b -> b.topicArn(topic));
        assertThrows(NotFoundException.class, () -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(second)));
    }

    @Test
    void publishBatchReportsEachEntryAndStructuredMessagesPickTheSqsBody() {
        String topic = sns.createTopic(b -> b.name("batched")).topicArn();
        String url = queue("batched-target");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("batched-target"))
                .attributes(Map.of("RawMessageDelivery", "true")));
        var result = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("a").message("one").build(),
                PublishBatchRequestEntry.builder().id("b").message("{\"default\":\"plain\",\"sqs\":\"for queues\"}")
                        .messageStructure("json").build(),
                PublishBatchRequestEntry.builder().id("c").message("bad").messageAttributes(Map.of("x",
                        MessageAttributeValue.builder().dataType("Number").stringValue("not a number").build())).build()));
        assertEquals(List.of("a", "b"), result.successful().stream().map(entry -> entry.id()).sorted().toList());
        assertEquals(1, result.failed().size());
        assertEquals("c", result.failed().get(0).id());
        assertEquals("ParameterValueInvalid", result.failed().get(0).code());
        assertTrue(result.failed().get(0).senderFault());
        assertEquals(Set.of("one", "for queues"), bodies(receive(url, 2)));
        assertThrows(BatchEntryIdsNotDistinctException.class, () -> sns.publishBatch(b -> b.topicArn(topic)
                .publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("a").message("1").build(),
                        PublishBatchRequestEntry.builder().id("a").message("2").build())));
        List<PublishBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(PublishBatchRequestEntry.builder().id("e" + i).message("m").build());
        }
        assertThrows(TooManyEntriesInBatchRequestException.class, () -> sns.publishBatch(b -> b.topicArn(topic)
                .publishBatchRequestEntries(eleven)));
    }

    @Test
    void webhookTargetsOnLoopbackPrivateOrMetadataAddressesAreRefusedUnlessAllowed() {
        String topic = sns.createTopic(b -> b.name("ssrf")).topicArn();
        for (String endpoint : List.of("http://127.0.0.1:" + server.port() + "/", "http://localhost/", "http://10.1.2.3/",
                "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00:ec2::254]/",
                "https://172.16.0.1/", "http://user:pw@example.com/")) {
            String protocol = endpoint.startsWith("https") ? "https" : "http";
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol(protocol)
                    .endpoint(endpoint)), endpoint);
        }
        assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("https")
                .endpoint("http://example.com/")));
        assertEquals("pending confirmation", sns.subscribe(b -> b.topicArn(topic).protocol("https")
                .endpoint("https://example.com/hook")).subscriptionArn());
    }

    @Test
    void restPublishSendsTheRawBodyToTheTopic() throws Exception {
        String topic = sns.createTopic(b -> b.name("alertmanager")).topicArn();
        String url = queue("alertmanager-target");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf("alertmanager-target"))
                .attributes(Map.of("RawMessageDelivery", "true")));
        String alert = "{\"receiver\":\"ops\",\"status\":\"firing\",\"alerts\":[{\"labels\":{\"alertname\":\"DiskFull\"}}]}";
        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/topics/alertmanager/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, published.statusCode());
        assertTrue(JSON.readTree(published.body()).path("MessageId").asText().length() > 0);
        assertEquals(Set.of(alert), bodies(receive(url, 1)));
        HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/topics/missing/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals("NotFound", JSON.readTree(missing.body()).path("code").asText());
    }

    @Test
    void publishChecksItsInput() {
        String topic = sns.createTopic(b -> b.name("checked")).topicArn();
        assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("x".repeat(262_145))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("m").subject("a\nb")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("{\"sqs\":\"x\"}")
                .messageStructure("json")));
        assertThrows(InvalidParameterValueException.class, () -> sns.publish(b -> b.topicArn(topic).message("m")
                .messageAttributes(Map.of("AWS.reserved", MessageAttributeValue.builder().dataType("String")
                        .stringValue("v").build()))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("m")
                .messageGroupId("g")));
    }
}
