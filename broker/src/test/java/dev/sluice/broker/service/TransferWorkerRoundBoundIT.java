package dev.sluice.broker.service;

import static dev.sluice.broker.service.TwoGroupNode.arn;
import static dev.sluice.broker.service.TwoGroupNode.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.SendMessageRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer round whose lookup never answers (a placement read hung on a group without a leader, say) does not stop
 * the group's outbox for good: the round is given up after its bound and the next one delivers. Before, the hung round
 * kept the worker's round-in-flight flag set, and the node never delivered its outbox again while it led the group:
 * the likeliest reading of CrossGroupFaultsClusterIT (a)'s lost FIFO dead letters (receive answers lost, so never seen by
 * the consumer; then waiting in the outbox while every queue read empty). Likewise a tick that throws does not end the worker. A real
 * node with two data groups.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransferWorkerRoundBoundIT {
    @TempDir
    Path dir;
    private TwoGroupNode node;

    @BeforeEach
    void start() throws Exception {
        node = new TwoGroupNode(dir);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** Answers as the node's placement does, except that the first lookup never completes. */
    private static final class FirstLookupHangs implements QueueGroups {
        private final QueueGroups placement;
        private final AtomicInteger asked = new AtomicInteger();

        FirstLookupHangs(QueueGroups placement) {
            this.placement = placement;
        }

        @Override
        public CompletableFuture<Integer> groupOf(String queueName) {
            return asked.getAndIncrement() == 0 ? new CompletableFuture<>() : placement.groupOf(queueName);
        }

        @Override
        public int groupCount() {
            return placement.groupCount();
        }
    }

    @Test
    void deadLettersAreDeliveredAfterATransferRoundWhoseLookupNeverAnswers() throws Exception {
        Set<String> sent = deadLettersInTheOutbox();
        FirstLookupHangs lookups = new FirstLookupHangs(node.groups);
        node.startTransferWorker(0, lookups, Duration.ofSeconds(1));
        TwoGroupNode.await(() -> lookups.asked.get() > 0, "the worker's first lookup");

        TwoGroupNode.await(() -> node.pendingTransfers(0) == 0, "the outbox delivered after the hung round");
        assertEquals(sent, TwoGroupNode.ids(node.drain(1, "dead.fifo", 6)), "every dead letter in the dead-letter queue");
    }

    /** A tick that throws (the replica unreadable for a moment) must not end the worker: the timer drops a task that throws. */
    @Test
    void deadLettersAreDeliveredAfterATransferTickThatThrew() throws Exception {
        Set<String> sent = deadLettersInTheOutbox();
        AtomicInteger reads = new AtomicInteger();
        node.startTransferWorker(0, node.groups, TransferWorker.ROUND_BOUND, () -> {
            if (reads.getAndIncrement() == 0) {
                throw new IllegalStateException("replica not ready");
            }
            return node.engine(0);
        });
        TwoGroupNode.await(() -> node.pendingTransfers(0) == 0, "the outbox delivered after the failed tick");
        assertEquals(sent, TwoGroupNode.ids(node.drain(1, "dead.fifo", 6)), "every dead letter in the dead-letter queue");
    }

    /** "work.fifo" in group 0, its dead-letter queue "dead.fifo" in group 1, and six dead letters in group 0's outbox. */
    private Set<String> deadLettersInTheOutbox() throws Exception {
        node.client(1).createQueue(new CreateQueueRequest("dead.fifo", Map.of("FifoQueue", "true"), Map.of()))
                .get(30, TimeUnit.SECONDS);
        node.placement.put("dead.fifo", 1);
        node.commands().createQueue(0, new CreateQueueRequest("work.fifo", Map.of("FifoQueue", "true", "VisibilityTimeout", "0",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dead.fifo") + "\",\"maxReceiveCount\":\"1\"}"), Map.of()))
                .get(30, TimeUnit.SECONDS);
        node.placement.put("work.fifo", 0);
        Set<String> sent = new TreeSet<>();
        for (int i = 0; i < 6; i++) {
            sent.add(node.client(0).sendMessage(new SendMessageRequest(url("work.fifo"), "m" + i, null, null, null, "d" + i,
                    "g" + (i % 2))).get(30, TimeUnit.SECONDS).messageId());
        }
        node.receiveUntilDeadLettered("work.fifo", 6);
        assertEquals(6, node.pendingTransfers(0), "the dead letters wait in the outbox");
        return sent;
    }
}
