package dev.sluice.raftstore.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which member one request is sent to next, from what this node knows: the leader its own replica of the group
 * follows, the leader the last member that refused named, and which members failed (timed out, refused the
 * connection, were not leader) how long ago. Pure: the caller passes the clock (nanoseconds) and the views.
 *
 * <p>Why not the Ratis client's own choice: after an attempt fails it asks a random other member, which until the
 * election names the failed leader again, and the client goes straight back to it; with a frozen leader that cost a
 * whole attempt timeout per round trip, and after a kill the client kept bouncing between the dead node and
 * followers for seconds after this node's replica already followed the new leader. This node's replica learns the
 * new leader from its first heartbeat, so asking the replica is the fastest way to the new leader.
 *
 * <p>Not thread-safe: one instance per request, used by one attempt at a time.
 */
final class NextPeer {
    private final List<String> members;
    private final long retryFailedAfterNanos;
    /** Member to when it last failed (nanoTime). */
    private final Map<String, Long> failedAt = new HashMap<>();
    private String suggested;
    private long waitingSince = Long.MIN_VALUE;

    /**
     * @param members the group's members as the client knows them, asked in turn when nothing points at a leader
     * @param retryFailedAfterNanos how long a member that failed is not asked again while nothing better is known:
     *     one attempt timeout (a live but slow leader is asked again after it, under the same call id)
     */
    NextPeer(List<String> members, long retryFailedAfterNanos) {
        this.members = List.copyOf(members);
        this.retryFailedAfterNanos = retryFailedAfterNanos;
    }

    /** {@code member} failed at {@code now}; {@code suggestedLeader} is whom it named as leader, or null. */
    void failed(String member, String suggestedLeader, long now) {
        failedAt.put(member, now);
        if (suggestedLeader != null && !suggestedLeader.equals(member)) {
            suggested = suggestedLeader;
        }
    }

    /**
     * The member to ask now, or null to wait a moment and ask again (the replica may learn the new leader meanwhile).
     *
     * @param replicaLeader the leader this node's replica follows, or null (an election is running, or no replica)
     */
    String choose(String replicaLeader, long now) {
        if (usable(replicaLeader, now)) {
            return chosen(replicaLeader);
        }
        if (usable(suggested, now)) {
            return chosen(suggested);
        }
        if (waitingSince == Long.MIN_VALUE) {
            waitingSince = now;
        }
        if (now - waitingSince < retryFailedAfterNanos) {
            return null; // an election takes about this long: the replica will most likely name the winner
        }
        // Nothing points anywhere usable for a whole attempt: the member that failed longest ago (or never).
        String oldest = null;
        for (String member : members) {
            if (oldest == null || failedAt.getOrDefault(member, Long.MIN_VALUE) < failedAt.getOrDefault(oldest, Long.MIN_VALUE)) {
                oldest = member;
            }
        }
        return chosen(oldest);
    }

    private boolean usable(String member, long now) {
        if (member == null) {
            return false;
        }
        Long failed = failedAt.get(member);
        return failed == null || now - failed >= retryFailedAfterNanos;
    }

    private String chosen(String member) {
        waitingSince = Long.MIN_VALUE;
        return member;
    }
}
