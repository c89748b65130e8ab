package dev.sluice.raftstore.statemachine;

import java.util.Optional;
import org.apache.ratis.server.RaftConfiguration;

/**
 * When a group being founded may serve: once a write Raft commits in its configuration lands on a majority of the
 * members it was founded for (its replicas in the cluster's initial layout, {@link FoundingRecord}). A configuration of
 * {@code v} voters commits on {@code v/2+1} of them, so it needs {@code v/2+1 >= n/2+1} for {@code n} founding members:
 * 1 of 1, 2 of 2 or 3, 4 of 4 or 5. Below that, an acknowledged write would live on fewer copies than the cluster
 * promises (a new cluster's founder alone commits on one). The rule guards founding only: once met, the group is
 * formed for good, and growth (a second node, a raised replication factor) and later shrinking follow Raft's own
 * majority rule, which joint consensus keeps safe through every membership change.
 */
public final class Formation {
    private Formation() {
    }

    /**
     * Why the group may not serve yet, or empty when it may.
     *
     * @param conf the group's newest configuration (while a change is under way, the smaller of its old and new voter
     *     sets counts)
     * @param foundedFor the members the group was founded for
     */
    public static Optional<String> problem(String group, RaftConfiguration conf, int foundedFor) {
        int voters = conf.getCurrentPeers().size();
        if (!conf.getPreviousPeers().isEmpty()) {
            voters = Math.min(voters, conf.getPreviousPeers().size());
        }
        return problem(group, voters, foundedFor);
    }

    static Optional<String> problem(String group, int voters, int foundedFor) {
        int needed = votersNeeded(foundedFor);
        if (voters >= needed) {
            return Optional.empty();
        }
        return Optional.of(group + " has " + voters + " voting member(s) of the " + foundedFor
                + " it was founded for and serves once " + needed + " vote: the membership controller adds them");
    }

    /** The fewest voters whose Raft majority is a majority of {@code foundedFor} members. */
    public static int votersNeeded(int foundedFor) {
        return Math.max(1, 2 * (foundedFor / 2));
    }
}
