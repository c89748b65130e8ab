package dev.sluice.raftstore.membership;

import java.util.List;
import java.util.Map;

/**
 * A group's actual Raft membership as its leader reports it (for views; the controller's steps use it too).
 *
 * @param voters voting member ids, sorted
 * @param listeners non-voting members (catching up before promotion), sorted
 * @param leader the reporting leader's id
 * @param changing true while a configuration change is under way (joint consensus): no new change may start
 * @param commitIndex the leader's commit index
 * @param lastIndex the index of the leader's last log entry (its configuration is at or below it)
 * @param followerCommits each follower's and listener's commit index as the leader knows it
 * @param followerSilenceMillis how long ago the leader last heard from each follower and listener
 */
public record GroupMembership(List<String> voters, List<String> listeners, String leader, boolean changing, long commitIndex,
        long lastIndex, Map<String, Long> followerCommits, Map<String, Long> followerSilenceMillis) {
    public GroupMembership {
        voters = voters.stream().sorted().toList();
        listeners = listeners.stream().sorted().toList();
        followerCommits = Map.copyOf(followerCommits);
        followerSilenceMillis = Map.copyOf(followerSilenceMillis);
    }

    boolean holds(String nodeId) {
        return voters.contains(nodeId) || listeners.contains(nodeId);
    }

    /** The node is within {@code maxLag} entries of the leader's commit index (the leader itself always is). */
    boolean caughtUp(String nodeId, long maxLag) {
        if (nodeId.equals(leader)) {
            return true;
        }
        Long commit = followerCommits.get(nodeId);
        return commit != null && commit >= commitIndex - maxLag;
    }

    /** The leader heard from the node within {@code staleAfterMillis} (the leader itself is alive). */
    boolean alive(String nodeId, long staleAfterMillis) {
        if (nodeId.equals(leader)) {
            return true;
        }
        Long silence = followerSilenceMillis.get(nodeId);
        return silence != null && silence <= staleAfterMillis;
    }
}
