package dev.sluice.broker.cluster;

import static dev.sluice.broker.cluster.ClusterViewJson.dataGroups;
import static dev.sluice.broker.cluster.ClusterViewJson.groupsNotHeldBy;
import static dev.sluice.broker.cluster.ClusterViewJson.heldBy;
import static dev.sluice.broker.cluster.ClusterViewJson.members;
import static dev.sluice.broker.cluster.ClusterViewJson.replicasPerNode;
import static dev.sluice.broker.cluster.ClusterViewJson.settled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Three Sluice processes form a cluster with four data groups of three replicas each; a fourth joins (an even number
 * of nodes is only reached by adding one), so every node then lacks one group: every node
 * serves sends, receives and long polls of a queue in each group, the one it holds no replica of too (a long poll
 * there answers within a second of a send through another node); then a fifth node joins under producers and
 * consumers on every node, takes its share of the replicas, and no acknowledged message is lost
 * ({@link QueueHistory}).
 */
@Tag("fault")
@Tag("cluster")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ScaleOutClusterIT {
    private static final int FORMING = 3;
    private static final int NODES = 4;
    private static final int DATA_GROUPS = 4;
    private static final int JOINING = 4;
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(180);

    @Test
    void everyNodeServesQueuesOfEveryGroupAndAFifthNodeTakesReplicasWhileNoAcknowledgedMessageIsLost() throws Exception {
        try (ClusterScenario scenario = ClusterScenario.start(NODES + 1, FORMING, DATA_GROUPS)) {
            try {
                scenario.addNode(NODES - 1, 0);
                JsonObject view = scenario.awaitView(0, SETTLE_BOUND, current -> settled(current) && dataGroups(current).values().stream()
                        .allMatch(group -> members(group).size() == 3) && heldBy(current, "n4") == 3);
                System.out.println("scale-out: replicas per node with four nodes " + replicasPerNode(view));
                Map<String, TrackedQueue> queueOfGroup = queueInEveryGroup(scenario);
                for (int node = 0; node < NODES; node++) {
                    assertEquals(1, groupsNotHeldBy(view, "n" + (node + 1)).size(), "each node lacks one group: " + view);
                    for (var entry : queueOfGroup.entrySet()) {
                        sendAndReceiveThrough(scenario, node, entry.getValue(), entry.getKey());
                    }
                    String lacking = groupsNotHeldBy(view, "n" + (node + 1)).get(0);
                    longPollAnswersPromptly(scenario, node, queueOfGroup.get(lacking));
                }

                List<TrackedQueue> queues = new ArrayList<>(queueOfGroup.values());
                for (int i = 0; i < queues.size(); i++) {
                    scenario.workload().produce(queues.get(i), i % NODES);
                    scenario.workload().consume(queues.get(i), (i + 1) % NODES);
                }
                scenario.runFor(Duration.ofSeconds(3));
                int acknowledgedBeforeJoin = scenario.history().acknowledgedCount();
                scenario.addNode(JOINING, 0);
                JsonObject after = scenario.awaitView(0, SETTLE_BOUND, current -> settled(current)
                        && dataGroups(current).values().stream().allMatch(group -> members(group).size() == 3)
                        && heldBy(current, "n5") >= 2);
                System.out.println("scale-out: replicas per node after the join " + replicasPerNode(after));
                assertTrue(scenario.history().acknowledgedCount() > acknowledgedBeforeJoin, "sends went on during the join");
                scenario.runFor(Duration.ofSeconds(3));
                QueueHistory.Report report = scenario.finish(Duration.ofSeconds(90));
                assertTrue(report.valid(), report + scenario.logTails());
                // With the workload's consumers stopped: the new node serves every group's queue, held or not.
                for (var entry : queueOfGroup.entrySet()) {
                    sendAndReceiveThrough(scenario, JOINING, entry.getValue(), entry.getKey());
                }
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError(failure.getMessage() + scenario.logTails(), failure);
            }
        }
    }

    /** Creates queues through the nodes in turn until every data group holds one (a node places queues in groups it holds). */
    private static Map<String, TrackedQueue> queueInEveryGroup(ClusterScenario scenario) throws Exception {
        Map<String, TrackedQueue> queueOfGroup = new TreeMap<>();
        for (int i = 0; queueOfGroup.size() < DATA_GROUPS; i++) {
            assertTrue(i < 24, "24 queues did not cover the " + DATA_GROUPS + " groups: " + queueOfGroup.keySet());
            TrackedQueue queue = scenario.createStandard("scale-" + i, i % NODES);
            queueOfGroup.putIfAbsent(scenario.groupsOf(queue.name()).get(0), queue);
        }
        return queueOfGroup;
    }

    private static void sendAndReceiveThrough(ClusterScenario scenario, int node, TrackedQueue queue, String label) {
        String body = "served-by-n" + (node + 1) + "-" + label;
        try (SqsClient sqs = scenario.sqs(node)) {
            sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody(body));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (Message message : sqs.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(2))
                        .messages()) {
                    sqs.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(message.receiptHandle()));
                    if (message.body().equals(body)) {
                        return;
                    }
                }
            }
            throw new AssertionError("n" + (node + 1) + " did not receive what it sent to " + queue.name());
        }
    }

    /** A long poll through {@code node} on a queue of a group it holds no replica of answers soon after a send elsewhere. */
    private static void longPollAnswersPromptly(ClusterScenario scenario, int node, TrackedQueue queue) throws Exception {
        String body = "long-poll-n" + (node + 1);
        try (SqsClient poller = scenario.sqs(node); SqsClient sender = scenario.sqs((node + 1) % NODES)) {
            CompletableFuture<List<Message>> polled = CompletableFuture.supplyAsync(() -> poller.receiveMessage(
                    b -> b.queueUrl(queue.url()).waitTimeSeconds(15)).messages());
            Thread.sleep(2_000); // the poll waits by now
            assertTrue(!polled.isDone(), "the long poll waited: " + (polled.isDone() ? polled.join() : ""));
            sender.sendMessage(b -> b.queueUrl(queue.url()).messageBody(body));
            long sent = System.nanoTime();
            List<Message> messages = polled.get(20, TimeUnit.SECONDS);
            long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            System.out.printf("scale-out: long poll through n%d on %s answered %d ms after the send%n", node + 1,
                    queue.name(), answeredMillis);
            assertEquals(List.of(body), messages.stream().map(Message::body).toList());
            assertTrue(answeredMillis < 1_000, "answered " + answeredMillis + " ms after the send");
            poller.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(messages.get(0).receiptHandle()));
        }
    }
}
