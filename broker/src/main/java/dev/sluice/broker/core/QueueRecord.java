package dev.sluice.broker.core;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A queue's durable metadata.
 *
 * @param attributes the settings as rendered attributes (parsed again on recovery)
 * @param lastPurgeMillis 0 when never purged
 */
public record QueueRecord(long id, String name, Map<String, String> attributes, SortedMap<String, String> tags,
        long createdMillis, long modifiedMillis, long lastPurgeMillis) {
    public QueueRecord {
        attributes = Map.copyOf(attributes);
        tags = new TreeMap<>(tags);
    }
}
