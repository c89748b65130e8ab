package dev.sluice.raftstore.replication;

import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis's gRPC log appender that tells a follower of every commit at once, so that a follower's replica (read without
 * the leader: a queue's Policy, the key directory, the console's counts) never stays behind an acknowledged write
 * for longer than one round trip.
 *
 * <p>Why it is needed: an entry carries the commit index as of its sending, so a follower learns that entry N
 * committed only from a later message. Ratis 3.3.0 appends a commit-index (log-metadata) entry after each commit,
 * which is that later message, but it costs an append and an fsync on every replica after every commit, in series
 * with the next write. Without it, the leader's appender is woken on commit ({@code commitIndexChanged} notifies the
 * senders) and sees the follower's commit index behind its own, but has no entry to send and its heartbeat is not
 * due, so it sends nothing; the follower learns N from the next write or from the next heartbeat, and a trickle of
 * writes (each resetting the heartbeat timer) kept a follower one write behind indefinitely. This appender sends a
 * heartbeat in that case instead: Ratis's own heartbeat request, which carries min(leader commit, previous entry).
 *
 * <p>Bounded: at most one such heartbeat per advance of the leader's commit index, and none while an append is in
 * flight (a heartbeat then carries no previous entry and so no commit index; the append's reply wakes the appender
 * again). Called on the appender's own thread under Ratis's appender lock.
 */
final class CommitHeartbeatLogAppender extends GrpcLogAppender {
    /** The highest leader commit index already sent in a commit heartbeat; appender thread only. */
    private long commitSentInHeartbeat = -1;

    CommitHeartbeatLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
        super(server, leaderState, follower);
    }

    @Override
    public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat) throws RaftLogIOException {
        if (heartbeat || !followerMissesCommit()) {
            return super.newAppendEntriesRequest(callId, heartbeat);
        }
        AppendEntriesRequestProto commitHeartbeat = super.newAppendEntriesRequest(callId, true);
        commitSentInHeartbeat = Math.max(commitSentInHeartbeat, commitHeartbeat.getLeaderCommit());
        return commitHeartbeat;
    }

    /** The follower holds every entry, has no append in flight, and has not been told the leader's commit index. */
    private boolean followerMissesCommit() {
        long leaderCommit = getRaftLog().getLastCommittedIndex();
        FollowerInfo follower = getFollower();
        return leaderCommit > follower.getCommitIndex()
                && leaderCommit > commitSentInHeartbeat
                && !hasAppendEntries()
                && !hasPendingDataRequests()
                && getPrevious(follower.getNextIndex()) != null;
    }
}
