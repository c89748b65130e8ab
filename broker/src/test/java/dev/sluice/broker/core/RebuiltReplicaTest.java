package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica rebuilt from storage in the middle of a random run (as recovery and snapshot installs
 * do) answers every later command exactly like the replica that never stopped: group locks,
 * receivable groups, deduplication and receive-attempt tables, fair-queue bookkeeping, dead letters
 * and move tasks, the outbox of transfers to other groups and the imported transfer ids all come back
 * equal. The run is random but seeded, so a failure repeats.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RebuiltReplicaTest {
    private static final String DEAD = "dead.fifo";
    private static final String FIFO = "work.fifo";
    private static final String FAIR = "fair";
    /** A queue whose dead-letter queue is in another group: its dead letters go through the outbox. */
    private static final String FAR = "far";
    private static final String ELSEWHERE = "arn:aws:sqs:us-east-1:000000000000:elsewhere";
    private static final List<String> QUEUES = List.of(FIFO, DEAD, FAIR, FAR);

    private static QueueBook newBook(QueueStorage storage) {
        return new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(1_000, 1_000, 300_000), storage, name -> { });
    }

    /** What QueueRecovery does, over the map-backed storage: restores every record, messages in key order. */
    private static QueueBook rebuild(InMemoryQueueStorage stored, InMemoryQueueStorage into) {
        QueueBook book = newBook(into);
        into.queues.putAll(stored.queues);
        stored.queues.values().forEach(book::restoreQueue);
        stored.moveTasks.values().forEach(book::restoreMoveTask);
        into.moveTasks.putAll(stored.moveTasks);
        stored.remoteDeadLetterTargets.forEach(book::restoreRemoteDeadLetterTarget);
        into.remoteDeadLetterTargets.addAll(stored.remoteDeadLetterTargets);
        stored.transfers.keySet().stream().sorted().forEach(seq -> book.restoreTransfer(stored.transfers.get(seq)));
        into.transfers.putAll(stored.transfers);
        stored.importedTransfers.forEach((key, record) -> {
            long queueId = Long.parseLong(key.substring(0, key.indexOf('/')));
            book.restoreImportedTransfer(queueId, key.substring(key.indexOf('/') + 1), record);
            into.importedTransfers.put(key, record);
        });
        List<String> keys = new ArrayList<>(stored.messages.keySet());
        keys.sort(Comparator.comparingLong((String key) -> Long.parseLong(key.substring(0, key.indexOf('/'))))
                .thenComparingLong(key -> Long.parseLong(key.substring(key.indexOf('/') + 1))));
        for (String key : keys) {
            long queueId = Long.parseLong(key.substring(0, key.indexOf('/')));
            long seq = Long.parseLong(key.substring(key.indexOf('/') + 1));
            StoredMessage message = stored.messages.get(key);
            MessageMeta delivery = stored.deliveries.get(key);
            int payloadBytes = (int) dev.sluice.clientsdk.MessageSize.of(message.body(), message.messageAttributes());
            MessageMeta meta = delivery == null
                    ? new MessageMeta(seq, message.retainedSinceMillis(), message.firstVisibleAtMillis(), 0, 0, 0, payloadBytes)
                    : new MessageMeta(seq, message.retainedSinceMillis(), delivery.visibleAtMillis, delivery.receiveCount,
                            delivery.firstReceiveMillis, delivery.receiptNonce, payloadBytes);
            into.messages.put(key, message);
            if (delivery != null) {
                into.deliveries.put(key, meta);
            }
            book.restoreMessage(queueId, meta, message.messageGroupId(), Long.MIN_VALUE);
        }
        stored.accruals.forEach((queueId, accrual) -> {
            book.restoreAccrual(queueId, accrual[0], accrual[1]);
            into.accruals.put(queueId, accrual.clone());
        });
        stored.deduplications.forEach((key, record) -> {
            long queueId = Long.parseLong(key.substring(0, key.indexOf('/')));
            book.restoreDeduplication(queueId, key.substring(key.indexOf('/') + 1), record);
            into.deduplications.put(key, record);
        });
        stored.receiveAttempts.forEach((key, attempt) -> {
            long queueId = Long.parseLong(key.substring(0, key.indexOf('/')));
            book.restoreReceiveAttempt(queueId, key.substring(key.indexOf('/') + 1), attempt);
            into.receiveAttempts.put(key, attempt);
        });
        return book;
    }

    /** One replica: its book, storage and entry stamps. */
    private static final class Replica {
        final InMemoryQueueStorage storage;
        final QueueBook book;
        final TestStamp stamp = new TestStamp();

        Replica(InMemoryQueueStorage storage, QueueBook book) {
            this.storage = storage;
            this.book = book;
        }
    }

    @Test
    void aReplicaRebuiltAtAnyPointAnswersLikeTheOneThatNeverStopped() {
        for (int seed = 1; seed <= 40; seed++) {
            for (int rebuildAt : List.of(20, 60, 150)) {
                runAndCompare(seed, rebuildAt, 300);
            }
        }
    }

    private void runAndCompare(int seed, int rebuildAt, int steps) {
        InMemoryQueueStorage storage = new InMemoryQueueStorage();
        Replica original = new Replica(storage, newBook(storage));
        Random random = new Random(seed);
        List<String> handles = new ArrayList<>();
        setUp(original);
        Replica rebuilt = null;
        for (int step = 0; step < steps; step++) {
            if (step == rebuildAt) {
                InMemoryQueueStorage copy = new InMemoryQueueStorage();
                rebuilt = new Replica(copy, rebuild(storage, copy));
                rebuilt.stamp.now = original.stamp.now;
                rebuilt.stamp.counter = original.stamp.counter;
            }
            long seedOfStep = random.nextLong();
            List<String> handlesBefore = new ArrayList<>(handles);
            String expected = step(original, new Random(seedOfStep), handles);
            if (rebuilt != null) {
                String actual = step(rebuilt, new Random(seedOfStep), handlesBefore);
                assertEquals(expected, actual, "seed " + seed + ", rebuilt at " + rebuildAt + ", step " + step);
            }
        }
    }

    private static void setUp(Replica replica) {
        replica.book.createQueue(DEAD, Map.of("FifoQueue", "true", "MessageRetentionPeriod", "600"), Map.of(),
                replica.stamp);
        replica.book.createQueue(FIFO, Map.of("FifoQueue", "true", "VisibilityTimeout", "5", "MessageRetentionPeriod", "120",
                "DelaySeconds", "1", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:" + DEAD + "\",\"maxReceiveCount\":\"2\"}"),
                Map.of(), replica.stamp);
        replica.book.createQueue(FAIR, Map.of("VisibilityTimeout", "5"), Map.of(), replica.stamp);
        replica.book.createQueue(FAR, Map.of("VisibilityTimeout", "1", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + ELSEWHERE + "\",\"maxReceiveCount\":\"1\"}"), Map.of(),
                new RemoteQueue(ELSEWHERE, false, true), replica.stamp);
    }

    /**
     * The worker's part, both sides played by this book: imports up to three pending transfers into
     * the fair queue (sometimes twice, as a resend), then settles them as delivered or, sometimes, as
     * without destination (back to their queue).
     */
    private static String transferStep(QueueBook book, TestStamp stamp, Random random) {
        List<Transfer> pending = book.transfers().next(3, 3, t -> true);
        List<TransferImport> imports = pending.stream().map(t -> new TransferImport(t.transferId("data-0"),
                "arn:aws:sqs:us-east-1:000000000000:" + FAIR, t.delivered())).toList();
        List<TransferImport.Outcome> outcomes = book.importTransfers(imports, stamp);
        if (random.nextBoolean()) {
            outcomes = book.importTransfers(imports, stamp);
        }
        List<Long> seqs = pending.stream().map(Transfer::seq).toList();
        boolean delivered = random.nextInt(4) != 0;
        int back = book.settleTransfers(delivered ? seqs : List.of(), delivered ? List.of() : seqs, stamp);
        return "transfer " + outcomes + " back " + back + " pending " + book.transfers().size();
    }

    /** Applies one random command and renders what it answered. */
    private static String step(Replica replica, Random random, List<String> handles) {
        QueueBook book = replica.book;
        TestStamp stamp = replica.stamp;
        String queue = QUEUES.get(random.nextInt(QUEUES.size()));
        int kind = random.nextInt(100);
        try {
            if (kind < 10) {
                stamp.now += random.nextInt(4_000);
                return "tick";
            } else if (kind < 15) {
                return transferStep(book, stamp, random);
            } else if (kind < 45) {
                List<SendEntry> entries = new ArrayList<>();
                int count = 1 + random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    boolean fair = queue.equals(FAIR) || queue.equals(FAR);
                    String group = fair && random.nextInt(4) == 0 ? null : "g" + random.nextInt(fair ? 40 : 5);
                    entries.add(new SendEntry("e" + i, "body" + random.nextInt(1_000), null, Map.of(), null, group,
                            fair ? null : "d" + random.nextInt(30)));
                }
                return "send " + book.send(queue, entries, stamp);
            } else if (kind < 75) {
                Integer timeout = random.nextInt(3) == 0 ? Integer.valueOf(random.nextInt(3)) : null;
                String attempt = random.nextInt(3) == 0 ? "a" + random.nextInt(3) : null;
                List<ReceivedMessage> messages = book.receive(queue, 1 + random.nextInt(10), timeout, attempt, stamp);
                messages.forEach(message -> handles.add(queue + "|" + message.receiptHandle()));
                return "receive " + received(messages);
            } else if (kind < 87 && !handles.isEmpty()) {
                String handle = handles.get(random.nextInt(handles.size()));
                return "delete " + book.delete(queueOf(handle), List.of(new HandleEntry("h", handleOf(handle))));
            } else if (kind < 95 && !handles.isEmpty()) {
                String handle = handles.get(random.nextInt(handles.size()));
                return "visibility " + book.changeVisibility(queueOf(handle),
                        List.of(new VisibilityChange("v", handleOf(handle), random.nextInt(3) * 3)), stamp);
            } else if (kind < 97) {
                MoveTask task = book.moveTasks().start("arn:aws:sqs:us-east-1:000000000000:" + DEAD, null, null, stamp);
                book.moveTasks().step(task.handle(), 1 + random.nextInt(5), stamp);
                return "move " + book.moveTasks().list("arn:aws:sqs:us-east-1:000000000000:" + DEAD, 1);
            } else if (kind < 99) {
                String delay = Integer.toString(random.nextInt(3) * 2);
                book.setAttributes(FIFO, Map.of("DelaySeconds", delay), stamp);
                return "delay " + delay;
            } else {
                book.purge(queue, stamp);
                return "purged " + queue;
            }
        } catch (SqsException rejected) {
            return "rejected " + rejected.error();
        }
    }

    private static String queueOf(String handle) {
        return handle.substring(0, handle.indexOf('|'));
    }

    private static String handleOf(String handle) {
        return handle.substring(handle.indexOf('|') + 1);
    }

    private static String received(List<ReceivedMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ReceivedMessage message : messages) {
            text.append(message).append('\n');
        }
        return text.toString();
    }
}
