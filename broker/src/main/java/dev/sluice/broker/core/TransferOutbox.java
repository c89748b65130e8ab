package dev.sluice.broker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * This group's messages on their way to queues in other groups, in the order they left their
 * queues (see {@link Transfer}). Durable like messages: each transfer is stored in the same write
 * batch as the apply that took its message out of its queue, and removed in the one that settled
 * it; recovery and snapshot installs rebuild the outbox from storage. Owned by the apply thread;
 * the leader's {@code TransferWorker} reads it under the engine's read lock.
 *
 * <p>Bounded: at {@link #MAX_PENDING} transfers {@link #hasRoom} is false and nothing new leaves a
 * queue for another group (a message due for a remote dead-letter queue stays in its queue and is
 * delivered again, a move task to another group waits), until the worker settled some.
 */
public final class TransferOutbox {
    /** Pending transfers at most: bounds memory and the catch-up a long outage of a destination leaves. */
    public static final int MAX_PENDING = 100_000;

    private final NavigableMap<Long, Transfer> pending = new TreeMap<>();
    /** Pending transfers by origin queue and destination ARN (lookups only): whether a queue still has some on the way. */
    private final java.util.Map<String, Integer> pendingByRoute = new java.util.HashMap<>();
    private final QueueStorage storage;
    private final int maxPending;

    TransferOutbox(QueueStorage storage, int maxPending) {
        this.storage = storage;
        this.maxPending = maxPending;
    }

    void restore(Transfer transfer) {
        put(transfer);
    }

    private void put(Transfer transfer) {
        if (pending.put(transfer.seq(), transfer) == null) {
            pendingByRoute.merge(route(transfer), 1, Integer::sum);
        }
    }

    private static String route(Transfer transfer) {
        return transfer.originQueue() + ' ' + transfer.destinationArn();
    }

    /** Whether a transfer from {@code originQueue} to {@code destinationArn} is still pending. */
    boolean holds(String originQueue, String destinationArn) {
        return pendingByRoute.containsKey(originQueue + ' ' + destinationArn);
    }

    boolean hasRoom() {
        return pending.size() < maxPending;
    }

    void add(Transfer transfer) {
        put(transfer);
        storage.putTransfer(transfer);
    }

    /** Takes a transfer out (settled); null when it is no longer pending (settled before: a resend). */
    Transfer remove(long seq) {
        Transfer removed = pending.remove(seq);
        if (removed != null) {
            pendingByRoute.computeIfPresent(route(removed), (route, count) -> count == 1 ? null : count - 1);
            storage.deleteTransfer(seq);
        }
        return removed;
    }

    /**
     * Up to {@code max} pending transfers in outbox order that {@code wanted} takes, looking at no
     * more than {@code maxScanned}: for the worker's next round.
     */
    public List<Transfer> next(int max, int maxScanned, Predicate<Transfer> wanted) {
        List<Transfer> taken = new ArrayList<>();
        int scanned = 0;
        for (Transfer transfer : pending.values()) {
            if (taken.size() == max || scanned++ == maxScanned) {
                break;
            }
            if (wanted.test(transfer)) {
                taken.add(transfer);
            }
        }
        return taken;
    }

    public int size() {
        return pending.size();
    }
}
