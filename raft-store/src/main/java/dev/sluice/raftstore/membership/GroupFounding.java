package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who writes each group's first log entry when a cluster is created: exactly one node, its founder, which creates
 * the group with itself as the only voter. Every other member creates the group empty (it neither campaigns nor
 * votes, as a replica the {@link ReplicaWorker} creates), and the {@link MembershipController} adds it as it adds
 * any new replica, through Ratis's staged configuration change.
 *
 * <p>Why not start every member with the full configuration: then the group's first elections can race, and two
 * nodes each write a different entry at index 0 in their own term. Ratis 3.3.0 then lets a follower commit its own
 * stale index 0 (a heartbeat without a previous entry commits index 0 whatever entry is there), after which that
 * follower refuses every catch-up and acknowledges nothing, for ever; once another member dies, the group has a
 * live majority and no ready leader (docs/issue14-data3-stall.md). With one founder no second index-0 entry can exist.
 *
 * <p>The founder of a data group is its preferred leader in the cluster's initial layout (so it already leads where
 * {@code LeadershipBalancer} wants it), of the catalog the lowest node id. Every node computes the same founders from
 * its configured members. Threads: one at a time; {@link #startOf} makes blocking RPCs.
 */
public final class GroupFounding implements AutoCloseable {
    private final List<Peer> members;
    private final ClusterLayout initial;
    private final MembershipClient client = new MembershipClient();

    /** @param members the configured members of the new cluster, this node included */
    public GroupFounding(List<Peer> members, int dataGroups, int replicationFactor) {
        this.members = List.copyOf(members);
        this.initial = LayoutChanges.initial(this.members, dataGroups, replicationFactor);
        client.useNodes(this.members);
    }

    /** The id of the node that founds the group. */
    public String founder(String group) {
        ClusterLayout.Group placed = initial.group(group).orElseThrow(() -> new IllegalArgumentException("no group " + group));
        if (!placed.preferredLeader().isEmpty()) {
            return placed.preferredLeader();
        }
        return placed.members().stream().sorted().findFirst().orElseThrow();
    }

    /** The replicas the initial layout gives the group: the members it is founded for. */
    public int foundingMembers(String group) {
        return initial.group(group).orElseThrow(() -> new IllegalArgumentException("no group " + group)).members().size();
    }

    /** How a node on a new data directory creates a group. */
    public enum Start {
        /** With this node as the only voter: it is the founder and no other member holds the group founded. */
        FOUND,
        /**
         * With no members, once the group's leader answers ({@link FreshReplicaGate}): it waits until the membership
         * controller adds it (or the group is left to others).
         */
        EMPTY,
        /**
         * Not now: another member's configuration names this node, so it lost its disk and was restarted without
         * {@code --join}. A replica on empty storage must not vote where it is still counted as a voter: it is created
         * empty once {@code node-replace} has removed this node from the group ({@link FreshReplicaGate}).
         */
        REJOIN
    }

    /**
     * How this node, on a data directory never used before, creates the group: asks the other members (those that
     * answer now) whether one holds it founded. Nobody does at a cluster's creation, as the controller adds a member
     * only once it created the group. Blocking RPCs, a few seconds at most per member that does not answer.
     */
    public Start startOf(String group, String selfId) {
        for (Peer member : members) {
            if (member.id().equals(selfId)) {
                continue;
            }
            Optional<Set<String>> founded = client.foundedMembers(member.id(), group);
            if (founded.isPresent()) {
                return founded.get().contains(selfId) ? Start.REJOIN : Start.EMPTY;
            }
        }
        return founder(group).equals(selfId) ? Start.FOUND : Start.EMPTY;
    }

    @Override
    public void close() {
        client.close();
    }
}
