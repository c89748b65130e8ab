package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.QueueCommandCounts;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.ClusterFeatures;
import dev.sluice.raftstore.FeatureLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A rolling upgrade as the fanout sees it: while a node of the view runs level 3 (the release before the fan-out
 * command, played by a node started at level 3), every publish is fanned out by the receive, send and delete loop and
 * no fan-out command is proposed; once the node publishes level 4 the fanout moves to one fan-out command, and no
 * copy is lost or doubled across the switch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanoutFeatureLevelIT {
    @TempDir
    Path data;

    @Test
    void belowLevelFourTheReceiveLoopFansOutAndFromLevelFourOneFanOutCommandDoes() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withRaft(config.raft()
                .withFeatureLevel(FeatureLevel.USAGE_IN_LOG)));
                SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("upgrading")).topicArn();
            String url = server.sqs.createQueue(b -> b.queueName("upgrading-inbox")).queueUrl();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:upgrading-inbox")
                    .attributes(Map.of("RawMessageDelivery", "true")));
            List<String> received = new ArrayList<>();

            Map<String, Long> before = QueueCommandCounts.of(server.server);
            sns.publish(b -> b.topicArn(topic).message("at level 3"));
            awaitBodies(server, url, received, 1);
            Map<String, Long> atThree = QueueCommandCounts.difference(before, QueueCommandCounts.of(server.server));
            assertFalse(atThree.containsKey("fan_out"), atThree.toString());
            assertTrue(atThree.getOrDefault("receive", 0L) >= 1 && atThree.getOrDefault("send_sqs_deliveries", 0L) == 1,
                    atThree.toString());

            // The node publishes level 4, as it does when it restarts on the new release.
            server.server.node().catalog().put(ClusterFeatures.NODE_LEVELS, "n1",
                    ClusterFeatures.encodeLevel(FeatureLevel.FANOUT_IN_ONE_APPLY)).join();
            Map<String, Long> upgraded = QueueCommandCounts.of(server.server);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int published = 0;
            // The pollers waiting in their receive when the level changed finish that round the old way first.
            while (QueueCommandCounts.difference(upgraded, QueueCommandCounts.of(server.server))
                    .getOrDefault("fan_out", 0L) == 0) {
                assertTrue(System.nanoTime() < deadline, "no fan-out command after the upgrade");
                String body = "at level 4 #" + published++;
                sns.publish(b -> b.topicArn(topic).message(body));
                awaitBodies(server, url, received, 1 + published);
            }
            List<String> expected = new ArrayList<>(List.of("at level 3"));
            for (int i = 0; i < published; i++) {
                expected.add("at level 4 #" + i);
            }
            received.sort(null);
            expected.sort(null);
            assertEquals(expected, received, "every publish delivered exactly once across the switch");
        }
    }

    private static void awaitBodies(SqsTestServer server, String url, List<String> received, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + received + " arrived");
            server.sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(message -> {
                        received.add(message.body());
                        server.sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    });
        }
    }
}
