package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.Tag;
import software.amazon.awssdk.services.sns.model.TagLimitExceededException;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Topic actions through the AWS SDK v2 SNS client, with SNS's error codes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnsTopicsIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    @Test
    void createTopicIsIdempotentAndRefusesOtherAttributes() {
        String arn = sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn();
        assertEquals("arn:aws:sns:us-east-1:000000000000:orders", arn);
        assertEquals(arn, sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn());
        assertThrows(InvalidParameterException.class,
                () -> sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Other"))));
        assertThrows(InvalidParameterException.class, () -> sns.createTopic(b -> b.name("bad name!")));
        assertThrows(InvalidParameterException.class,
                () -> sns.createTopic(b -> b.name("t").attributes(Map.of("NoSuchAttribute", "x"))));
    }

    @Test
    void topicAttributesAreReadAndWritten() {
        String arn = sns.createTopic(b -> b.name("attributes")).topicArn();
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertEquals(arn, attributes.get("TopicArn"));
        assertEquals("000000000000", attributes.get("Owner"));
        assertEquals("0", attributes.get("SubscriptionsConfirmed"));
        assertTrue(attributes.get("EffectiveDeliveryPolicy").contains("\"numRetries\":3"));
        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DisplayName").attributeValue("Shown"));
        sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("2"));
        attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertEquals("Shown", attributes.get("DisplayName"));
        assertEquals("2", attributes.get("SignatureVersion"));
        assertThrows(InvalidParameterException.class,
                () -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("3")));
        assertThrows(InvalidParameterException.class,
                () -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("Bogus").attributeValue("1")));
        assertThrows(InvalidParameterException.class, () -> sns.setTopicAttributes(b -> b.topicArn(arn)
                .attributeName("DeliveryPolicy").attributeValue("{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":101}}}")));
    }

    @Test
    void unknownTopicsAreNotFoundAndMalformedArnsInvalid() {
        String missing = "arn:aws:sns:us-east-1:000000000000:missing";
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> sns.getTopicAttributes(b -> b.topicArn(missing)));
        assertEquals(404, notFound.statusCode());
        assertEquals("NotFound", notFound.awsErrorDetails().errorCode());
        assertThrows(NotFoundException.class, () -> sns.publish(b -> b.topicArn(missing).message("m")));
        assertThrows(NotFoundException.class, () -> sns.subscribe(b -> b.topicArn(missing).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:q")));
        assertThrows(NotFoundException.class, () -> sns.setTopicAttributes(b -> b.topicArn(missing)
                .attributeName("DisplayName").attributeValue("x")));
        InvalidParameterException invalid = assertThrows(InvalidParameterException.class,
                () -> sns.getTopicAttributes(b -> b.topicArn("not-an-arn")));
        assertEquals(400, invalid.statusCode());
    }

    @Test
    void deletedTopicsDisappearAndDeletingTwiceSucceeds() {
        String arn = sns.createTopic(b -> b.name("short-lived")).topicArn();
        sns.deleteTopic(b -> b.topicArn(arn));
        sns.deleteTopic(b -> b.topicArn(arn));
        assertThrows(NotFoundException.class, () -> sns.getTopicAttributes(b -> b.topicArn(arn)));
        assertFalse(sns.listTopicsPaginator().topics().stream().anyMatch(topic -> topic.topicArn().equals(arn)));
    }

    @Test
    void listTopicsPagesByOneHundred() {
        for (int i = 0; i < 105; i++) {
            String name = String.format("page-%03d", i);
            sns.createTopic(b -> b.name(name));
        }
        var first = sns.listTopics();
        assertEquals(100, first.topics().size());
        assertTrue(first.nextToken() != null);
        var second = sns.listTopics(b -> b.nextToken(first.nextToken()));
        List<String> all = new ArrayList<>(first.topics().stream().map(Topic::topicArn).toList());
        all.addAll(second.topics().stream().map(Topic::topicArn).toList());
        assertEquals(all.size(), all.stream().distinct().count());
        assertTrue(all.stream().filter(arn -> arn.contains(":page-")).count() == 105);
        assertNull(second.nextToken());
    }

    @Test
    void tagsAreAddedListedRemovedAndBounded() {
        String arn = sns.createTopic(b -> b.name("tagged").tags(Tag.builder().key("team").value("ops").build())).topicArn();
        sns.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("prod").build()));
        Map<String, String> tags = new HashMap<>();
        sns.listTagsForResource(b -> b.resourceArn(arn)).tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        assertEquals(Map.of("team", "ops", "env", "prod"), tags);
        sns.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertEquals(List.of("env"), sns.listTagsForResource(b -> b.resourceArn(arn)).tags().stream().map(Tag::key).toList());
        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tooMany.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThrows(TagLimitExceededException.class, () -> sns.tagResource(b -> b.resourceArn(arn).tags(tooMany)));
        assertThrows(ResourceNotFoundException.class, () -> sns.listTagsForResource(
                b -> b.resourceArn("arn:aws:sns:us-east-1:000000000000:missing")));
    }

    @Test
    void internalQueuesAreHiddenFromTheSqsApi() throws Exception {
        sns.createTopic(b -> b.name("with-outbox"));
        var sqs = server.sqs;
        assertTrue(sqs.listQueues().queueUrls().stream().noneMatch(url -> url.contains("sluice-internal-")));
        SqsException refused = assertThrows(SqsException.class,
                () -> sqs.createQueue(b -> b.queueName("sluice-internal-mine")));
        assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode());
        assertNotEquals(0, server.server.queueClient().listQueues(
                new dev.sluice.clientsdk.model.ListQueuesRequest("sluice-internal-", null, null)).join().queueUrls().size());
        // Operators see them, with their depth, on the admin route.
        var depths = new dev.sluice.broker.HttpProbe(server.port()).get("/v1/admin/internal-queues");
        assertEquals(200, depths.statusCode());
        assertTrue(depths.body().contains("\"sluice-internal-topic-"), depths.body());
        assertTrue(depths.body().contains("\"ApproximateNumberOfMessages\":\"0\""), depths.body());
    }
}
