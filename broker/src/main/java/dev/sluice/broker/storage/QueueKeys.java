package dev.sluice.broker.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Column families and big-endian keys, so RocksDB's order is the queue's order:
 * {@code queues}: {@code q/<name>} queue records, {@code t/<name>} name tombstones, {@code m/<handle>} move tasks;
 * {@code messages}: {@code [queueId][seq]} immutable messages;
 * {@code deliveries}: {@code [queueId][seq]} receive state of messages received at least once.
 */
public final class QueueKeys {
    public static final String QUEUES = "queues";
    public static final String MESSAGES = "messages";
    public static final String DELIVERIES = "deliveries";
    public static final List<String> COLUMN_FAMILIES = List.of(QUEUES, MESSAGES, DELIVERIES);

    static final String QUEUE_PREFIX = "q/";
    static final String TOMBSTONE_PREFIX = "t/";
    static final String MOVE_TASK_PREFIX = "m/";

    private QueueKeys() {
    }

    static byte[] named(String prefix, String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prefix(String prefix) {
        return prefix.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] message(long queueId, long seq) {
        return ByteBuffer.allocate(16).putLong(queueId).putLong(seq).array();
    }

    static long queueIdOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey).getLong(0);
    }

    static long seqOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey).getLong(8);
    }
}
