package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.codec.EntryHeader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the commit stamp: what it stamps into each entry, and the one marker entry it appends when
 * the group goes idle with acknowledged writes that no stamp in the log covers yet.
 *
 * <p>Why: Ratis's commit-index (log-metadata) entries are off (each cost an append and often an fsync after every
 * commit), so the log must say otherwise how far it was committed, or a replica restarted alone after a power loss
 * (its store back at its last flush, no leader to commit again) would serve older state than it served before
 * (ReplicaAfterCrashIT). Every client entry carries the leader's commit index; under load the next entry covers the
 * last one's commit, and only the last write before a pause needs a marker. A marker covers everything before it,
 * so a marker never calls for another.
 *
 * <p>Only once every node runs feature level 5 ({@code FeatureLevel.COMMIT_STAMPS}): a node of an earlier release stops
 * at a stamped entry or a marker. Until then {@link #stamp} stamps nothing (the entry keeps format 1) and no marker is
 * appended; Ratis's commit-index entries are on then ({@code CommitStampLevel}).
 *
 * <p>Threads: {@link #stamp} on Ratis's RPC threads (startTransaction), {@link #applied} on the group's updater thread,
 * {@link #leaderChanged} on Ratis's leader-change notification. A marker is proposed on a thread of its own: its
 * append may wait for room in the log's queue, which the updater thread may not do (the queue drains only as the
 * updater applies). At most one marker is in flight.
 */
final class CommitMarkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitMarkers.class);

    /**
     * How long after a data group's log went idle its marker is decided; none if a client entry was started meanwhile
     * (its stamp covers the last write). The client sends its next batch when the last reply comes back, so the log is
     * idle for a moment between entries even at saturation: deciding at once appended a marker after about every second
     * entry on one node (CommitMarkerIT: 47 for 95), 5 ms left 6-9 for about 100 on a quiet machine but 21 for 90 with
     * another test running beside it, 20 ms 5 for 88 there. The cost: for these 20 ms a replica serves a write its own
     * log does not yet prove committed, so a power loss of the whole cluster inside them may leave a lone restarted
     * replica of the group serving older state (review 21, ServedBeforeProvedIT). No acknowledgement waits for it, and
     * nothing reads a data group's replica for more than SQS calls approximate (queue depths); the catalog, whose replica
     * reads serve access keys, routing and the layout, decides at once ({@link #decisionDelay}).
     */
    static final Duration DATA_GROUP_DECISION_DELAY = Duration.ofMillis(20);

    /**
     * The catalog's marker at once: a replica of it serves access keys, routing and the layout without its leader, so
     * it must never serve a write for longer than the marker's append takes before its own log proves the write
     * committed (what Ratis's commit-index entries, appended on commit, gave). Its writes are rare, so a marker after
     * each costs nothing measurable. A data group's marker waits {@link #DATA_GROUP_DECISION_DELAY}.
     */
    static Duration decisionDelay(String group) {
        return StoreGroups.CATALOG.equals(group) ? Duration.ZERO : DATA_GROUP_DECISION_DELAY;
    }

    private final String name;
    private final Duration decisionDelay;
    /** Marks this group's markers in startTransaction: no other client uses it. */
    private final ClientId markerClient = ClientId.randomId();
    private final AtomicLong markerCalls = new AtomicLong();
    /** The highest commit index stamped into an entry since this node last heard of a leader change. */
    private final AtomicLong highestStamp = new AtomicLong(-1);
    /** The highest client entry this replica applied; updater thread writes, the marker thread reads. */
    private volatile long lastClientEntry = -1;
    private final AtomicBoolean markerInFlight = new AtomicBoolean();
    private final ExecutorService proposer;
    /** The state machine's last applied index. */
    private final LongSupplier appliedIndex;
    /** Whether the cluster runs level 5: read per entry (a volatile read), it turns true once and stays. */
    private final BooleanSupplier stampsAllowed;
    private volatile RaftServer server;
    private volatile RaftGroupId groupId;

    CommitMarkers(String name, Duration decisionDelay, LongSupplier appliedIndex, BooleanSupplier stampsAllowed) {
        this.name = name;
        this.decisionDelay = decisionDelay;
        this.appliedIndex = appliedIndex;
        this.stampsAllowed = stampsAllowed;
        // No thread while this node leads nothing, or its groups are busy; at most one marker waits (markerInFlight).
        this.proposer = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, name + "-commit-marker");
            thread.setDaemon(true);
            return thread;
        });
    }

    void initialize(RaftServer server, RaftGroupId groupId) {
        this.server = server;
        this.groupId = groupId;
    }

    /** Whether {@code request} is one of this group's markers. */
    boolean isMarker(RaftClientRequest request) {
        return markerClient.equals(request.getClientId());
    }

    /**
     * The leader's commit index now, to stamp into the entry being started: everything up to it is committed, so any
     * log that holds this entry holds those committed entries before it (Raft's log matching). {@link EntryHeader#NO_STAMP}
     * while the cluster runs below level 5.
     */
    long stamp() throws IOException {
        if (!stampsAllowed.getAsBoolean()) {
            return EntryHeader.NO_STAMP; // a format-1 entry, as an earlier release writes
        }
        long commitIndex = server.getDivision(groupId).getRaftLog().getLastCommittedIndex();
        highestStamp.accumulateAndGet(commitIndex, Math::max);
        return commitIndex;
    }

    /**
     * A stamp written under an earlier leadership (this node's or none) may be in entries a new leader truncated; the
     * next marker decision counts only stamps written from now on (at worst one marker too many).
     */
    void leaderChanged() {
        highestStamp.set(-1);
    }

    /** Entry {@code index} was applied here; {@code clientEntry} when it held commands (not a marker, nor Ratis's). */
    void applied(long index, boolean clientEntry) {
        if (clientEntry) {
            lastClientEntry = index;
        }
        if (needsMarker()) {
            propose();
        }
    }

    /** A client entry applied here no stamp covers, this node leads, and nothing follows what it applied in its log. */
    private boolean needsMarker() {
        return !markerInFlight.get() && stillNeeded();
    }

    /** As {@link #needsMarker}, whether or not a marker is in flight. */
    private boolean stillNeeded() {
        if (lastClientEntry <= highestStamp.get() || server == null || !stampsAllowed.getAsBoolean()) {
            return false;
        }
        try {
            RaftServer.Division division = server.getDivision(groupId);
            if (!division.getInfo().isLeader()) {
                return false; // before the log's read lock: a follower asks this for every entry it applies
            }
            var last = division.getRaftLog().getLastEntryTermIndex();
            return last != null && last.getIndex() <= appliedIndex.getAsLong();
        } catch (IOException notHosted) {
            return false;
        }
    }

    private void propose() {
        if (!markerInFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            if (decisionDelay.isZero()) {
                proposer.execute(this::submit);
            } else {
                CompletableFuture.delayedExecutor(decisionDelay.toNanos(), TimeUnit.NANOSECONDS, proposer)
                        .execute(this::submit);
            }
        } catch (RejectedExecutionException closed) {
            markerInFlight.set(false);
        }
    }

    private void submit() {
        if (!stillNeeded()) {
            markerInFlight.set(false); // the next client entry came, and its stamp covers the last one
            return;
        }
        try {
            RaftServer current = server;
            RaftClientRequest marker = RaftClientRequest.newBuilder().setClientId(markerClient)
                    .setServerId(current.getId()).setGroupId(groupId).setCallId(markerCalls.incrementAndGet())
                    .setMessage(Message.EMPTY).setType(RaftClientRequest.writeRequestType()).build();
            submitDirectly(current, marker).whenComplete((reply, error) -> {
                markerInFlight.set(false);
                if (error == null && reply.isSuccess()) {
                    // A client entry applied while this marker was in flight may be the last before a pause.
                    if (needsMarker()) {
                        propose();
                    }
                } else {
                    LOG.debug("{}: commit marker not appended (the next write or leader stamps instead)", name,
                            error != null ? error : reply.getException());
                }
            });
        } catch (IOException | RuntimeException e) {
            markerInFlight.set(false);
            LOG.debug("{}: commit marker not proposed", name, e);
        }
    }

    /**
     * Into the division directly, as GroupClient's replies thread does (see LocalDivisionSubmit): Ratis's
     * {@code RaftServer#submitClientRequestAsync} would hand it to the client executor and wait, a second thread hop
     * per marker. Safe here because nobody else holds this thread and it is never interrupted (shut down without
     * interrupting), so a wait for room in the log's queue cannot be broken, which would close the division.
     */
    private static CompletableFuture<RaftClientReply> submitDirectly(RaftServer server, RaftClientRequest marker)
            throws IOException {
        RaftServer.Division division = server.getDivision(marker.getRaftGroupId());
        return division instanceof RaftClientAsynchronousProtocol direct ? direct.submitClientRequestAsync(marker)
                : server.submitClientRequestAsync(marker);
    }

    @Override
    public void close() {
        proposer.shutdown();
    }
}
