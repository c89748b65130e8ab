package dev.sluice.broker.core;

/**
 * One queue's backlog and traffic as the leader of one of its groups answers them (query {@code QUEUE_STATS}); a queue
 * spread over several groups is the {@link #plus} of each group's answer.
 */
public record QueueStats(QueueDepth depth, QueueCounts counts) {

    /** The same queue's numbers in two groups: counts add up, the oldest message is the older of the two. */
    public QueueStats plus(QueueStats other) {
        QueueDepth mine = depth;
        QueueDepth theirs = other.depth;
        return new QueueStats(new QueueDepth(mine.queue(), mine.visible() + theirs.visible(),
                mine.inFlight() + theirs.inFlight(), mine.delayed() + theirs.delayed(),
                Math.max(mine.oldestAgeMillis(), theirs.oldestAgeMillis())), counts.plus(other.counts));
    }
}
