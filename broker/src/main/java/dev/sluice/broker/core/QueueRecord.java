package dev.sluice.broker.core;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A queue's durable metadata.
 *
 * @param attributes the settings as rendered attributes (parsed again on recovery)
 * @param lastPurgeMillis 0 when never purged
 * @param layout its fence and partition (see {@link QueueLayout}); {@link QueueLayout#OPEN} for most queues
 */
public record QueueRecord(long id, String name, Map<String, String> attributes, SortedMap<String, String> tags,
        long createdMillis, long modifiedMillis, long lastPurgeMillis, QueueLayout layout) {
    public QueueRecord {
        attributes = Map.copyOf(attributes);
        tags = new TreeMap<>(tags);
        if (layout == null) {
            throw new IllegalArgumentException("a queue record needs a layout");
        }
    }

    /** A record of a queue with the open layout (as every queue had before layouts existed). */
    public QueueRecord(long id, String name, Map<String, String> attributes, SortedMap<String, String> tags,
            long createdMillis, long modifiedMillis, long lastPurgeMillis) {
        this(id, name, attributes, tags, createdMillis, modifiedMillis, lastPurgeMillis, QueueLayout.OPEN);
    }
}
