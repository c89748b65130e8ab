package dev.sluice.broker.core;

import java.util.List;

import dev.sluice.broker.core.QueueSettings.DeduplicationScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What FIFO queues remember for one deduplication interval of stamped time, in replicated state
 * (not in Ratis's retry cache, which forgets after 60 s and knows nothing of other clients):
 * sends by deduplication id, so a duplicate is answered with the original MessageId and
 * SequenceNumber and never delivered again, and receives by ReceiveRequestAttemptId, so a retried
 * receive gets the same messages and receipt handles, also after a leader change. Lapsed records
 * are pruned a bounded number per command. Owned by the apply thread.
 */
final class FifoMemory {
    /**
     * Records pruned per command at most: more than one command adds (10 sends or one receive
     * attempt), so after a burst the tables shrink back to one interval of traffic.
     */
    static final int MAX_PRUNED_PER_COMMAND = 64;

    private final ExpiringRecords<DeduplicationRecord> sends = new ExpiringRecords<>();
    private final ExpiringRecords<ReceiveAttempt> receives = new ExpiringRecords<>();
    private final QueueStorage storage;
    private final long intervalMillis;

    FifoMemory(QueueStorage storage, long intervalMillis) {
        this.storage = storage;
        this.intervalMillis = intervalMillis;
    }

    void restoreSend(long queueId, String key, DeduplicationRecord record) {
        sends.put(queueId, key, record);
    }

    void restoreReceive(long queueId, String attemptId, ReceiveAttempt attempt) {
        receives.put(queueId, attemptId, attempt);
    }

    /**
     * The deduplication key of a send: the explicit id, else the SHA-256 of the body when the queue
     * deduplicates by content, else null (the send is refused). With DeduplicationScope
     * messageGroup the key is scoped to the group.
     */
    static String deduplicationId(QueueSettings settings, SendEntry entry) {
        if (entry.messageDeduplicationId() != null) {
            return entry.messageDeduplicationId();
        }
        return Boolean.TRUE.equals(settings.contentBasedDeduplication()) ? sha256Hex(entry.body()) : null;
    }

    static String key(QueueSettings settings, String groupId, String deduplicationId) {
        // A space never occurs in a group or deduplication id, so scoped keys cannot collide.
        return settings.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP ? groupId + " " + deduplicationId
                : deduplicationId;
    }

    boolean remembersSends(QueueState queue, long nowMillis) {
        return sends.anyLive(queue.id, nowMillis);
    }

    DeduplicationRecord duplicateOf(QueueState queue, String key, long nowMillis) {
        return sends.get(queue.id, key, nowMillis);
    }

    void rememberSend(QueueState queue, String key, String messageId, long seq, long nowMillis) {
        DeduplicationRecord record = new DeduplicationRecord(messageId, seq, nowMillis + intervalMillis);
        sends.put(queue.id, key, record);
        storage.putDeduplication(queue.id, key, record);
    }

    /** A send remembered in the group a migrated queue came from, until its own expiry (a lapsed one is dropped). */
    void importSend(QueueState queue, String key, DeduplicationRecord record, long nowMillis) {
        if (record.expiresAtMillis() > nowMillis) {
            sends.put(queue.id, key, record);
            storage.putDeduplication(queue.id, key, record);
        }
    }

    /** The queue's sends still remembered at {@code nowMillis}, by key, after {@code afterKey} (null: from the first). */
    List<QueueExport.Deduplication> liveSends(QueueState queue, long nowMillis, String afterKey) {
        return liveAfter(sends, queue, nowMillis, afterKey, QueueExport.Deduplication::new);
    }

    /** The queue's receive attempts still remembered at {@code nowMillis}, by attempt id, after {@code afterId} (null: from the first). */
    List<QueueExport.Attempt> liveReceives(QueueState queue, long nowMillis, String afterId) {
        return liveAfter(receives, queue, nowMillis, afterId, QueueExport.Attempt::new);
    }

    private static <V extends Expiring, T> List<T> liveAfter(ExpiringRecords<V> records, QueueState queue, long nowMillis,
            String after, java.util.function.BiFunction<String, V, T> item) {
        java.util.SortedMap<String, V> live = records.live(queue.id, nowMillis);
        if (after != null) {
            live = live.tailMap(after + '\0');
        }
        List<T> items = new java.util.ArrayList<>(live.size());
        live.forEach((name, record) -> items.add(item.apply(name, record)));
        return items;
    }

    /**
     * A receive remembered in the group a migrated queue came from, until its own expiry (a lapsed one is dropped): its
     * deliveries name sequence numbers and nonces the copy keeps, so a retry here hands out the same messages.
     */
    void importReceive(QueueState queue, String attemptId, ReceiveAttempt attempt, long nowMillis) {
        if (attempt.expiresAtMillis() > nowMillis) {
            rememberReceive(queue, attemptId, attempt);
        }
    }

    ReceiveAttempt attempt(QueueState queue, String attemptId, long nowMillis) {
        return receives.get(queue.id, attemptId, nowMillis);
    }

    /** Remembers a receive until {@code attempt.expiresAtMillis()} (a retry keeps the first one's window). */
    void rememberReceive(QueueState queue, String attemptId, ReceiveAttempt attempt) {
        receives.put(queue.id, attemptId, attempt);
        storage.putReceiveAttempt(queue.id, attemptId, attempt);
    }

    long expiryFrom(long nowMillis) {
        return nowMillis + intervalMillis;
    }

    /** Forgets a bounded number of lapsed records, in memory and in storage. */
    void prune(long nowMillis) {
        for (var key : sends.prune(nowMillis, MAX_PRUNED_PER_COMMAND)) {
            storage.deleteDeduplication(key.queueId(), key.name());
        }
        for (var key : receives.prune(nowMillis, MAX_PRUNED_PER_COMMAND)) {
            storage.deleteReceiveAttempt(key.queueId(), key.name());
        }
    }

    int size() {
        return sends.size() + receives.size();
    }

    private static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
