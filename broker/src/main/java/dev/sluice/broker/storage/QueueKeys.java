package dev.sluice.broker.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Column families and big-endian keys, so RocksDB's order is the queue's order:
 * {@code queues}: {@code q/<name>} queue records, {@code t/<name>} name tombstones, {@code m/<handle>} move tasks,
 * {@code r/<name>} queues whose dead-letter queue is in another group, {@code i/<name>} the lineage of a queue
 * migrated into this group, {@code b/[queueId]} up to when a queue's stored bytes are billed, {@code x/[seq]} the outbox of
 * transfers to other groups (seq big-endian, so in outbox order);
 * {@code messages}: {@code [queueId][seq]} immutable messages;
 * {@code deliveries}: {@code [queueId][seq]} receive state of messages received at least once;
 * {@code dedup}: {@code [queueId]['d'][deduplication key]} FIFO sends and
 * {@code [queueId]['a'][ReceiveRequestAttemptId]} FIFO receives and {@code [queueId]['i'][transfer id]}
 * transfers imported from other groups, each with its expiry;
 * {@code usage}: {@code [account UTF-8][0][hour start millis][kind code]} an account's usage counter (see
 * {@link UsageStore}).
 */
public final class QueueKeys {
    public static final String QUEUES = "queues";
    public static final String MESSAGES = "messages";
    public static final String DELIVERIES = "deliveries";
    public static final String DEDUP = "dedup";
    public static final String USAGE = "usage";
    public static final List<String> COLUMN_FAMILIES = List.of(QUEUES, MESSAGES, DELIVERIES, DEDUP, USAGE);
    static final byte DEDUPLICATION = 'd';
    static final byte RECEIVE_ATTEMPT = 'a';
    static final byte IMPORTED_TRANSFER = 'i';

    static final String QUEUE_PREFIX = "q/";
    static final String TOMBSTONE_PREFIX = "t/";
    static final String MOVE_TASK_PREFIX = "m/";
    static final String REMOTE_DEAD_LETTER_PREFIX = "r/";
    static final String TRANSFER_PREFIX = "x/";
    static final String LINEAGE_PREFIX = "i/";
    static final String ACCRUAL_PREFIX = "b/";

    private QueueKeys() {
    }

    static byte[] named(String prefix, String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prefix(String prefix) {
        return prefix.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] transfer(long seq) {
        byte[] prefix = prefix(TRANSFER_PREFIX);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(seq).array();
    }

    static byte[] accrual(long queueId) {
        byte[] prefix = prefix(ACCRUAL_PREFIX);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(queueId).array();
    }

    static long queueIdOfAccrual(byte[] key) {
        return ByteBuffer.wrap(key).getLong(ACCRUAL_PREFIX.length());
    }

    static byte[] message(long queueId, long seq) {
        return ByteBuffer.allocate(16).putLong(queueId).putLong(seq).array();
    }

    static byte[] remembered(long queueId, byte kind, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(9 + utf8.length).putLong(queueId).put(kind).put(utf8).array();
    }

    static String nameOfRemembered(byte[] key) {
        return new String(key, 9, key.length - 9, StandardCharsets.UTF_8);
    }

    static long queueIdOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey).getLong(0);
    }

    static long seqOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey).getLong(8);
    }
}
