package dev.sluice.broker.core;

import java.util.SortedMap;
import java.util.TreeMap;

/** One queue in memory: its settings, metadata and message index. Owned by the apply thread. */
final class QueueState {
    final long id;
    final String name;
    final String arn;
    QueueSettings settings;
    final SortedMap<String, String> tags;
    final long createdMillis;
    long modifiedMillis;
    long lastPurgeMillis;
    /** Changed only by SetQueueLayout; checked by every message action (see {@link QueueLayout}). */
    QueueLayout layout = QueueLayout.OPEN;
    final QueueIndex index;

    QueueState(long id, String name, String arn, QueueSettings settings, SortedMap<String, String> tags,
            long createdMillis, long modifiedMillis, long lastPurgeMillis) {
        this.id = id;
        this.name = name;
        this.arn = arn;
        this.settings = settings;
        this.index = new QueueIndex(settings.fifoQueue());
        this.tags = new TreeMap<>(tags);
        this.createdMillis = createdMillis;
        this.modifiedMillis = modifiedMillis;
        this.lastPurgeMillis = lastPurgeMillis;
    }

    QueueRecord record(QueueAttributeCodec codec) {
        return new QueueRecord(id, name, codec.render(settings), tags, createdMillis, modifiedMillis, lastPurgeMillis, layout);
    }
}
