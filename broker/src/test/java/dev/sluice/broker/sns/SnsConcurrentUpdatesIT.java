package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Tag;

/** Concurrent read-modify-write actions on one topic through the AWS SDK v2: no change is lost, nothing is resurrected. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnsConcurrentUpdatesIT {
    private static final int THREADS = 8;
    private static final Map<String, String> ATTRIBUTES = Map.of("DisplayName", "Shown", "SignatureVersion", "2",
            "TracingConfig", "Active", "KmsMasterKeyId", "alias/aws/sns", "Policy",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"SNS:Publish\","
                    + "\"Resource\":\"*\"}]}",
            "DataProtectionPolicy", "{\"Name\":\"p\"}", "DeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":5}}}");
    private static final int TAGS = 16;

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
    void concurrentSetTopicAttributesAndTagResourceOnDistinctNamesAllSurvive() throws Exception {
        for (int round = 0; round < 3; round++) {
            String arn = sns.createTopic(b -> b.name("busy-" + System.nanoTime())).topicArn();
            List<Runnable> calls = new ArrayList<>();
            ATTRIBUTES.forEach((name, value) -> calls.add(
                    () -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName(name).attributeValue(value))));
            for (int i = 0; i < TAGS; i++) {
                Tag tag = Tag.builder().key("k" + i).value("v" + i).build();
                calls.add(() -> sns.tagResource(b -> b.resourceArn(arn).tags(tag)));
            }
            runTogether(calls);

            Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
            ATTRIBUTES.forEach((name, value) -> assertEquals(value, attributes.get(name), "lost SetTopicAttributes " + name));
            Map<String, String> tags = new TreeMap<>();
            sns.listTagsForResource(b -> b.resourceArn(arn)).tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            assertEquals(TAGS, tags.size(), "lost TagResource calls: " + tags.keySet());
        }
    }

    @Test
    void setTopicAttributesRacingDeleteTopicNeverLeavesTheTopicBehind() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "doomed-" + round;
            String arn = sns.createTopic(b -> b.name(name)).topicArn();
            List<Runnable> calls = new ArrayList<>();
            for (int t = 0; t < THREADS - 1; t++) {
                String value = "writer-" + t;
                calls.add(() -> {
                    // Keeps writing until the delete shows; a resurrected topic would keep accepting writes.
                    for (int i = 0; i < 60; i++) {
                        try {
                            sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DisplayName").attributeValue(value));
                        } catch (NotFoundException deleted) {
                            return;
                        }
                    }
                });
            }
            calls.add(() -> {
                sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("DisplayName").attributeValue("first"));
                sns.deleteTopic(b -> b.topicArn(arn));
            });
            runTogether(calls);

            assertThrows(NotFoundException.class, () -> sns.getTopicAttributes(b -> b.topicArn(arn)),
                    "a SetTopicAttributes resurrected deleted topic " + name);
            assertFalse(sns.listTopics().topics().stream().anyMatch(topic -> topic.topicArn().equals(arn)));
        }
    }

    @Test
    void concurrentSetSubscriptionAttributesOnDistinctNamesAllSurvive() throws Exception {
        server.sqs().createQueue(b -> b.queueName("attributed-target"));
        server.sqs().createQueue(b -> b.queueName("attributed-dlq"));
        Map<String, String> wanted = Map.of("RawMessageDelivery", "true", "FilterPolicy", "{\"severity\":[\"high\"]}",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:attributed-dlq\"}");
        for (int round = 0; round < 3; round++) {
            String topic = sns.createTopic(b -> b.name("attributed-" + System.nanoTime())).topicArn();
            String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:attributed-target")).subscriptionArn();
            List<Runnable> calls = new ArrayList<>();
            wanted.forEach((name, value) -> calls.add(() -> sns.setSubscriptionAttributes(
                    b -> b.subscriptionArn(subscription).attributeName(name).attributeValue(value))));
            runTogether(calls);
            Map<String, String> stored = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
            wanted.forEach((name, value) -> assertEquals(value, stored.get(name), "lost SetSubscriptionAttributes " + name));
        }
    }

    @Test
    void subscribeRacingDeleteTopicNeverLeavesASubscriptionBehind() throws Exception {
        server.sqs().createQueue(b -> b.queueName("racing-target"));
        for (int round = 0; round < 5; round++) {
            String name = "short-lived-" + round;
            String arn = sns.createTopic(b -> b.name(name)).topicArn();
            List<Runnable> calls = new ArrayList<>();
            for (int t = 0; t < THREADS - 1; t++) {
                String endpoint = "arn:aws:sqs:us-east-1:000000000000:racing-target-" + t;
                calls.add(() -> {
                    try {
                        sns.subscribe(b -> b.topicArn(arn).protocol("sqs").endpoint(endpoint));
                    } catch (NotFoundException deleted) {
                        // Answered after the delete: fine, as long as nothing stays behind.
                    }
                });
            }
            calls.add(() -> sns.deleteTopic(b -> b.topicArn(arn)));
            runTogether(calls);
            assertEquals(List.of(), sns.listSubscriptions().subscriptions().stream()
                    .filter(subscription -> subscription.topicArn().equals(arn)).toList(),
                    "subscriptions of deleted topic " + arn);
        }
    }

    /** Starts every call at once on its own thread and waits for all; a call's failure fails the test. */
    private static void runTogether(List<Runnable> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (Runnable call : calls) {
                running.add(pool.submit(() -> {
                    gate.await();
                    call.run();
                    return null;
                }));
            }
            gate.countDown();
            for (Future<?> call : running) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
