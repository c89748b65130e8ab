package dev.sluice.broker.core;

import java.util.Objects;

/**
 * What the router verified about a queue in another Raft group, carried in the command that needs
 * it, since apply sees only its own group: that the queue exists, whether it is FIFO, and whether
 * its RedriveAllowPolicy lets the command's queue use it as dead-letter queue.
 */
public record RemoteQueue(String arn, boolean fifo, boolean allowsSource) {
    public RemoteQueue {
        Objects.requireNonNull(arn, "arn");
    }
}
