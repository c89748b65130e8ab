package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.codec.CommitStamp;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a restarted replica's Raft log committed up to what its own log proves committed: the highest commit index
 * stamped in its tail ({@link CommitStamp}), or its store's applied index if higher. Ratis then re-applies its own
 * entries up to there, without a leader.
 *
 * <p>Why: Ratis starts a replica's commit index at its last commit-index (log-metadata) entry, or at the state
 * machine's last snapshot when there is none. Sluice turns those entries off (each cost an append and often an fsync
 * after every commit, see {@code RaftStoreNode}), so without this a replica restarted alone after a power loss (its
 * store back at its last flush, RocksDB's WAL being off) would serve that flush, older than what it served before,
 * until a leader commits again, and its replica reads were refused outright before the first snapshot ("commit index
 * -1 &lt; min 0"): ReplicaAfterCrashIT. Safe by Raft's log matching: an entry stamped S by the leader of its term is
 * preceded in every log that holds it by that leader's log, whose entries up to S are committed. An entry applied is
 * committed too. Entries after that stay unapplied until a leader commits them.
 *
 * <p>The scan is bounded by what it can gain: an entry's stamp is below its own index, so it reads backwards from the
 * last entry only while an entry could still raise the best index found, never further back than the entries Ratis
 * would re-apply anyway.
 *
 * <p>The log opens only after {@link org.apache.ratis.statemachine.StateMachine#initialize} returns, so this waits
 * for it on a timer (a few milliseconds at start; it gives up after {@link #GIVE_UP_AFTER}, leaving Ratis's own
 * start, as before).
 */
final class CommitIndexAtStart {
    private static final Logger LOG = LoggerFactory.getLogger(CommitIndexAtStart.class);
    private static final Duration RETRY = Duration.ofMillis(10);
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private CommitIndexAtStart() {
    }

    /** Raises {@code groupId}'s commit index on {@code server} once its log is open; completes with the index set. */
    static CompletableFuture<Long> raise(RaftServer server, RaftGroupId groupId, long appliedIndex, String name) {
        CompletableFuture<Long> raised = new CompletableFuture<>();
        attempt(server, groupId, appliedIndex, name, System.nanoTime() + GIVE_UP_AFTER.toNanos(), raised);
        return raised;
    }

    private static void attempt(RaftServer server, RaftGroupId groupId, long appliedIndex, String name, long deadline,
            CompletableFuture<Long> raised) {
        RaftLog log = openLog(server, groupId);
        if (log != null) {
            try {
                long stamped = highestStampInTail(log, appliedIndex);
                long target = Math.max(stamped, appliedIndex);
                if (target >= 0) {
                    long term = server.getDivision(groupId).getInfo().getCurrentTerm();
                    // As a follower would (no term check): the entries up to target are committed, see above.
                    log.updateCommitIndex(target, term, false);
                }
                LOG.info("{}: commit index at start {} (highest stamp in the log {}, store applied {})", name,
                        log.getLastCommittedIndex(), stamped, appliedIndex);
                raised.complete(log.getLastCommittedIndex());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: could not raise the commit index at start (store applied {})", name, appliedIndex, e);
                raised.complete(-1L);
            }
        } else if (System.nanoTime() > deadline) {
            LOG.warn("{}: the Raft log did not open within {}; the commit index starts at the last snapshot", name,
                    GIVE_UP_AFTER);
            raised.complete(-1L);
        } else {
            CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(server, groupId, appliedIndex, name, deadline, raised));
        }
    }

    /**
     * The highest commit index stamped in {@code log}'s entries after {@code floor}, or {@code floor} when none
     * stamps higher; never above the log's last entry.
     */
    static long highestStampInTail(RaftLog log, long floor) throws IOException {
        var last = log.getLastEntryTermIndex();
        if (last == null) {
            return floor;
        }
        long best = floor;
        for (long index = last.getIndex(); index > best + 1 && index >= log.getStartIndex(); index--) {
            LogEntryProto entry = log.get(index);
            if (entry != null && entry.hasStateMachineLogEntry()) {
                ByteString data = entry.getStateMachineLogEntry().getLogData();
                int prefix = Math.min(CommitStamp.PREFIX_BYTES, data.size());
                best = Math.max(best, CommitStamp.read(data.substring(0, prefix).asReadOnlyByteBuffer()));
            }
        }
        return Math.min(best, last.getIndex());
    }

    private static RaftLog openLog(RaftServer server, RaftGroupId groupId) {
        try {
            RaftLog log = server.getDivision(groupId).getRaftLog();
            return log != null && log.isOpened() ? log : null;
        } catch (IOException | RuntimeException notYet) {
            return null; // the division is not registered yet, or its log not built
        }
    }
}
