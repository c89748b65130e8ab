package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that holds no replica of a queue's group serves it like one that does: its long poll answers a send made
 * through another node within a fraction of a second (the group's leader is polled: no local apply wakes it), and
 * an idle long poll waits out its time instead of proposing receives in a loop.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RemoteGroupLongPollIT {
    private static final String ACCOUNT = "000000000000";
    private static final String BASE_URL = "http://localhost:9324";

    @TempDir
    Path dir;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aLongPollOnANodeWithoutTheGroupAnswersASendThroughAnotherNodeAtOnce() throws Exception {
        SqsLimits limits = SqsLimits.defaults();
        QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
        // Each replica wakes nobody: the node without a replica must be woken by its watch of the leader.
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(1).baseDirectory(dir)
                .engines(group -> new QueueEngine(codec, "us-east-1", ACCOUNT, limits.engineLimits(), name -> { })).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            int outside = shrinkToTwoReplicas(cluster);
            RaftStoreNode away = cluster.node(outside);
            RaftStoreNode member = cluster.node((outside + 1) % 3);
            assertNull(away.servingEngine(0), "n" + (outside + 1) + " holds no replica of data-0");

            ReceiveWaiters waiters = new ReceiveWaiters(100, timers, timers);
            EngineQueueClient there = new EngineQueueClient(away.dataGroup(0), () -> (QueueEngine) away.servingEngine(0),
                    waiters, timers, limits, ACCOUNT, () -> BASE_URL, InstantSource.system());
            EngineQueueClient here = new EngineQueueClient(member.dataGroup(0), (QueueEngine) member.servingEngine(0),
                    new ReceiveWaiters(100, timers, timers), limits, ACCOUNT, () -> BASE_URL, InstantSource.system());
            String url = there.createQueue(new CreateQueueRequest("far", Map.of(), Map.of())).get(30, TimeUnit.SECONDS).queueUrl();
            assertEquals(new QueueUrl(ACCOUNT, "far").toUrl(BASE_URL), url);

            long idleStarted = System.nanoTime();
            long appliedBefore = member.appliedIndex(0);
            ReceiveMessageResponse idle = there.receiveMessage(receive(url, 3)).get(30, TimeUnit.SECONDS);
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleStarted);
            assertTrue(idle.messages().isEmpty());
            assertTrue(idleMillis >= 2_900, "an idle long poll waits its time: " + idleMillis + " ms");
            assertTrue(member.appliedIndex(0) - appliedBefore <= 5,
                    "an idle long poll proposes a receive or two, not one per poll: " + (member.appliedIndex(0) - appliedBefore));

            CompletableFuture<ReceiveMessageResponse> polled = there.receiveMessage(receive(url, 15));
            Thread.sleep(1_000);
            assertFalse(polled.isDone(), "the long poll waits");
            here.sendMessage(new SendMessageRequest(url, "from another node", null, Map.of(), Map.of(), null, null))
                    .get(30, TimeUnit.SECONDS);
            long sent = System.nanoTime();
            ReceiveMessageResponse answered = polled.get(20, TimeUnit.SECONDS);
            long afterSendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(List.of("from another node"), answered.messages().stream().map(message -> message.body()).toList());
            assertTrue(afterSendMillis < 1_000, "answered " + afterSendMillis + " ms after the send");
        }
    }

    private static ReceiveMessageRequest receive(String url, int waitSeconds) {
        return new ReceiveMessageRequest(url, null, null, null, 1, null, waitSeconds, null);
    }

    /** Lowers data-0 to two replicas; answers the index of the node that then holds none (its files gone). */
    private int shrinkToTwoReplicas(MiniCluster cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                cluster.node(0).membership().setReplicationFactor("data-0", 2).get(10, TimeUnit.SECONDS);
                break;
            } catch (Exception noLayoutYet) {
                assertTrue(System.nanoTime() < deadline, "no layout: " + noLayoutYet);
                Thread.sleep(250);
            }
        }
        while (System.nanoTime() < deadline) {
            for (int node = 0; node < 3; node++) {
                boolean filesGone = !Files.exists(dir.resolve(cluster.peer(node).id()).resolve("state").resolve("data-0"));
                if (filesGone && cluster.node(node).servingEngine(0) == null) {
                    return node;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("data-0 did not shrink to two replicas");
    }
}
