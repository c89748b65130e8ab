package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A topic's outbox spread over two data groups by the operator ({@code PUT /v1/queues/{outbox}/partitions}), subscribed
 * by a queue in the outbox's first partition's group: every publish reaches the subscriber, whichever partition stored
 * it. At feature level 4 the fanout's outbox read (peekReady) sees one group; for a queue in several it answers "beyond
 * the peek" so the fanout takes a receive round, which reads every partition (reading the first partition only left
 * half of 20 publishes unfanned). Behind the cluster tag: about 45 s with the level-3 control.
 */
@Tag("cluster")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PartitionedOutboxFanoutIT {
    private static final int PUBLISHES = 20;

    @TempDir
    Path data;

    @Test
    void everyPublishToATopicWhoseOutboxIsPartitionedReachesTheSubscriber() throws Exception {
        assertEveryPublishReached(SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(2))));
    }

    /** The same at level 3, where the fanout always receives (every partition). */
    @Test
    void atLevelThreeEveryPublishToATopicWhoseOutboxIsPartitionedReachesTheSubscriber() throws Exception {
        assertEveryPublishReached(SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(2)
                .withFeatureLevel(dev.sluice.raftstore.FeatureLevel.USAGE_IN_LOG))));
    }

    private static void assertEveryPublishReached(SqsTestServer started) throws Exception {
        try (SqsTestServer server = started;
                RestClient rest = new RestClient(server.port());
                SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("spread-outbox")).topicArn();
            java.util.List<String> outboxes = server.server.queueClient().listQueues(
                    new dev.sluice.clientsdk.model.ListQueuesRequest("sluice-internal-topic-", null, null)).join()
                    .queueUrls();
            assertEquals(1, outboxes.size(), outboxes.toString());
            String outbox = outboxes.get(0).substring(outboxes.get(0).lastIndexOf('/') + 1);
            RestClient.Answer spread = rest.put("/v1/queues/" + outbox + "/partitions", "{\"count\":2}");
            assertEquals(200, spread.status(), spread.text());
            String firstGroup = spread.json().getJsonArray("groups").getString(0);

            // A subscriber in the outbox's first partition's group: its copies are same-group, so FAN_OUT takes them.
            String subscriber = null;
            for (int i = 0; i < 6 && subscriber == null; i++) {
                String name = "spread-sub-" + i;
                String url = server.sqs.createQueue(b -> b.queueName(name)).queueUrl();
                RestClient.Answer where = rest.put("/v1/queues/" + name + "/partitions", "{\"count\":1}");
                assertEquals(200, where.status(), where.text());
                if (where.json().getJsonArray("groups").getString(0).equals(firstGroup)) {
                    subscriber = url;
                    String endpoint = "arn:aws:sqs:us-east-1:000000000000:" + name;
                    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(endpoint)
                            .attributes(Map.of("RawMessageDelivery", "true")));
                }
            }
            assertNotNull(subscriber, "no queue placed in " + firstGroup);

            for (int i = 0; i < PUBLISHES; i++) {
                String body = "m" + i;
                sns.publish(b -> b.topicArn(topic).message(body));
            }

            String queue = subscriber;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int reached = 0;
            while (System.nanoTime() < deadline) {
                reached = Integer.parseInt(server.sqs.getQueueAttributes(b -> b.queueUrl(queue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                if (reached == PUBLISHES) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(PUBLISHES, reached, "publishes that reached the subscriber of a topic with a partitioned outbox");
        }
    }
}
