package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long poll on a queue with nothing to receive appends nothing to the group's log (it was two receives per poll:
 * one at the start, one at the end of the wait), and still answers whatever becomes receivable while it waits: a
 * send, a message whose visibility timeout passes, a delayed message; a missing queue still fails at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleLongPollIT {
    private static final String ACCOUNT = "000000000000";
    private static final String BASE_URL = "http://localhost:9324";

    @TempDir
    Path dir;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ReceiveWaiters waiters = new ReceiveWaiters(100, timers, timers);
    private MiniCluster cluster;
    private RaftStoreNode node;
    private EngineQueueClient client;

    @BeforeEach
    void start() throws Exception {
        SqsLimits limits = SqsLimits.defaults();
        QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
        cluster = MiniCluster.builder().nodes(1).dataGroups(1).baseDirectory(dir)
                .engines(group -> new QueueEngine(codec, "us-east-1", ACCOUNT, limits.engineLimits(), waiters)).start();
        cluster.awaitLeader(Duration.ofSeconds(60));
        node = cluster.node(0);
        client = new EngineQueueClient(node.dataGroup(0), (QueueEngine) node.servingEngine(0), waiters, limits, ACCOUNT,
                () -> BASE_URL, InstantSource.system());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        timers.shutdownNow();
    }

    @Test
    void anIdleLongPollWaitsItsTimeAndAppendsNothingToTheLog() throws Exception {
        String url = create("idle");
        long appliedBefore = settledAppliedIndex();
        long started = System.nanoTime();
        ReceiveMessageResponse idle = client.receiveMessage(receive(url, 2, null)).get(30, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(idle.messages().isEmpty());
        assertTrue(waited >= 1_900, "the long poll waited its time: " + waited + " ms");
        assertEquals(appliedBefore, node.appliedIndex(0), "an idle long poll proposed a receive");

        // A short poll is still proposed (a replica behind its leader must not answer it empty).
        client.receiveMessage(receive(url, 0, null)).get(30, TimeUnit.SECONDS);
        // At least its own entry (Ratis may add one of its own meanwhile, as in settledAppliedIndex).
        assertTrue(node.appliedIndex(0) > appliedBefore, "a short poll was not proposed");
    }

    @Test
    void aWaitingLongPollAnswersASendAtOnce() throws Exception {
        String url = create("woken");
        CompletableFuture<ReceiveMessageResponse> polled = client.receiveMessage(receive(url, 15, null));
        Thread.sleep(500);
        assertFalse(polled.isDone());
        send(url, "hello", 0);
        long sent = System.nanoTime();
        assertEquals(List.of("hello"), bodies(polled.get(10, TimeUnit.SECONDS)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) < 2_000);
    }

    @Test
    void aLongPollTakesAMessageWhoseVisibilityTimeoutOrDelayPassesWhileItWaits() throws Exception {
        String url = create("returning");
        send(url, "returns", 0);
        assertEquals(1, client.receiveMessage(new ReceiveMessageRequest(url, null, null, null, 1, 1, 0, null))
                .get(10, TimeUnit.SECONDS).messages().size());
        // In flight for 1 s: nothing is receivable when the poll starts, no apply happens when the timeout passes.
        assertEquals(List.of("returns"), bodies(client.receiveMessage(receive(url, 10, null)).get(15, TimeUnit.SECONDS)));

        String delayedUrl = create("delayed");
        send(delayedUrl, "later", 1);
        assertEquals(List.of("later"), bodies(client.receiveMessage(receive(delayedUrl, 10, null)).get(15, TimeUnit.SECONDS)));
    }

    @Test
    void aLongPollOnAMissingQueueFailsAtOnce() {
        long started = System.nanoTime();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.receiveMessage(receive(BASE_URL + "/" + ACCOUNT + "/missing", 10, null)).get(15, TimeUnit.SECONDS));
        assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, ((SqsException) failed.getCause()).error());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
    }

    /** The group's applied index once it stopped moving (Ratis may still apply an entry of its own after a reply). */
    private long settledAppliedIndex() throws InterruptedException {
        long applied = node.appliedIndex(0);
        while (true) {
            Thread.sleep(300);
            long now = node.appliedIndex(0);
            if (now == applied) {
                return applied;
            }
            applied = now;
        }
    }

    private String create(String name) throws Exception {
        return client.createQueue(new CreateQueueRequest(name, Map.of(), Map.of())).get(30, TimeUnit.SECONDS).queueUrl();
    }

    private void send(String url, String body, int delaySeconds) throws Exception {
        client.sendMessage(new SendMessageRequest(url, body, delaySeconds, Map.of(), Map.of(), null, null)).get(30, TimeUnit.SECONDS);
    }

    private static ReceiveMessageRequest receive(String url, int waitSeconds, Integer visibility) {
        return new ReceiveMessageRequest(url, null, null, null, 1, visibility, waitSeconds, null);
    }

    private static List<String> bodies(ReceiveMessageResponse response) {
        return response.messages().stream().map(Message::body).toList();
    }
}
