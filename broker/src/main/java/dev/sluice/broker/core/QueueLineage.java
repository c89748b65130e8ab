package dev.sluice.broker.core;

import java.util.List;

/**
 * What a queue brought with it from the group it was migrated out of (see {@link QueueExport}): the queue ids it had
 * there, which receipt handles issued there still name, and how far its sequence numbers are lifted above this
 * group's own ({@code sequenceOffset}), so a message sent here after the move sorts after every message sent there
 * and gets a larger SequenceNumber, as SQS promises per message group. {@code sealed}: the copy finished; a page
 * replayed later (a late retry of the migration worker) stores nothing, so a message deleted here never comes back.
 */
public record QueueLineage(List<Long> formerIds, long sequenceOffset, boolean sealed) {
    public static final QueueLineage NONE = new QueueLineage(List.of(), 0, false);

    public QueueLineage {
        formerIds = List.copyOf(formerIds);
        if (sequenceOffset < 0) {
            throw new IllegalArgumentException("negative sequence offset " + sequenceOffset);
        }
    }

    /** Whether receipt handles naming queue id {@code queueId} are this queue's (its own id is checked by the caller). */
    boolean named(long queueId) {
        return formerIds.contains(queueId);
    }
}
