package dev.sluice.notify.service;

import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A topic's outbox read for its fanout in one log entry ({@link OutboxFanout#ready}), with the node that leads the
 * outbox's data group going first. Every node runs the topic's fanout pollers and each node's read the same ready
 * messages at that leader; had each proposed its fan-out at once, a publish in a 3-node cluster took up to 4 data-group
 * entries (the send and up to 3 fan-outs, the extras skipped: they store nothing, yet each costs its entry). So:
 * <ul>
 *   <li>on the leader's node the read is answered as it is: its pollers propose at once;</li>
 *   <li>on any other node, ready messages are read again {@link #GRACE_MILLIS} later, and only those still there
 *       are answered: the ones the leader's fan-out took are gone by then.</li>
 * </ul>
 * Nothing can stall: no node depends on another node's pollers, only waits for them. When the leader's node runs no
 * poller for the topic (a node starts a topic's pollers only under its worker cap, and which topics get them can
 * differ between nodes), or is down, or leadership moves in the middle of a round, the other nodes' pollers fan the
 * messages out after the grace period, as before (an item two nodes both propose is skipped by the second apply: at
 * most an extra entry, never a loss or a second copy). And a read whose oldest message has been ready for longer than
 * the grace period is answered at once everywhere: the leader's pollers are evidently not taking the outbox (none runs
 * there, or they are behind), so waiting would only cap a backlog's drain at one batch per poller per grace period
 * (~20 messages a second a node); the price, while a backlog lasts, is the duplicate, skipped entries this class
 * otherwise avoids. Whether this node leads is asked of its Raft division once the
 * read is answered, so a belief gone stale in a leader change costs at most an extra entry or a grace period's wait.
 *
 * <p>Thread-safe; called from fanout workers, waits end on the notify timers.
 */
final class LeaderFirstReads {
    /**
     * How long a node that does not lead the outbox's group lets the leader's pollers have ready messages before it
     * proposes their fan-out itself. The leader's pollers wait at the outbox and propose within milliseconds of a
     * publish's apply, their fan-out applies within one commit (tens of ms; a few hundred on a loaded 2-core machine);
     * 2 s leaves room for that while bounding the delay when the leader's node runs no poller for the topic.
     */
    static final long GRACE_MILLIS = 2_000;

    private final OutboxFanout fanout;
    private final ScheduledExecutorService timers;
    private final InstantSource clock;
    private final long graceMillis;

    LeaderFirstReads(OutboxFanout fanout, ScheduledExecutorService timers, InstantSource clock) {
        this(fanout, timers, clock, GRACE_MILLIS);
    }

    /** @param graceMillis the grace period ({@link #GRACE_MILLIS} but in tests) */
    LeaderFirstReads(OutboxFanout fanout, ScheduledExecutorService timers, InstantSource clock, long graceMillis) {
        this.fanout = fanout;
        this.timers = timers;
        this.clock = clock;
        this.graceMillis = graceMillis;
    }

    /**
     * The outbox's ready messages this node may propose now (see the class comment), as {@link OutboxFanout#ready}
     * reads them: at once on the leader's node, else those of a first read still ready a grace period later.
     */
    CompletableFuture<OutboxFanout.Ready> ready(String outboxUrl, int max, int waitSeconds) {
        return fanout.ready(outboxUrl, max, waitSeconds).thenCompose(first -> {
            if (first.leaderHere() || first.receiveInstead() || first.messages().isEmpty() || overdue(first)) {
                return CompletableFuture.completedFuture(first);
            }
            return after(graceMillis).thenCompose(waited -> fanout.ready(outboxUrl, max, 0))
                    .thenApply(second -> stillThere(first, second));
        });
    }

    /** Whether the oldest message read has been ready for longer than the grace period (this node's clock). */
    private boolean overdue(OutboxFanout.Ready read) {
        long oldest = read.messages().stream().mapToLong(OutboxFanout.OutboxMessage::readySinceMillis).min()
                .orElse(Long.MAX_VALUE);
        return clock.millis() - oldest >= graceMillis;
    }

    /** {@code second}'s messages that {@code first} read too: those the leader's pollers left. */
    static OutboxFanout.Ready stillThere(OutboxFanout.Ready first, OutboxFanout.Ready second) {
        if (second.leaderHere() || second.receiveInstead()) {
            return second;
        }
        Set<Long> read = first.messages().stream().map(OutboxFanout.OutboxMessage::seq).collect(Collectors.toSet());
        List<OutboxFanout.OutboxMessage> left = second.messages().stream()
                .filter(message -> read.contains(message.seq())).toList();
        return new OutboxFanout.Ready(left, false, false);
    }

    private CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> waited = new CompletableFuture<>();
        timers.schedule(() -> waited.complete(null), millis, TimeUnit.MILLISECONDS);
        return waited;
    }
}
