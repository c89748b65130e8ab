package dev.sluice.raftstore.statemachine;

import java.util.Optional;
import org.apache.ratis.server.RaftConfiguration;

/**
 * When a group may serve: once the members voting in its Raft configuration are a majority of the replicas the cluster
 * layout assigns it. Below that, a write Ratis commits would live on fewer copies than the layout promises (a new
 * cluster's founder alone commits on one), and a loss of that one disk would lose it. A group the layout gives one
 * replica (a single node) serves at once.
 */
public final class Formation {
    private Formation() {
    }

    /**
     * Why the group may not serve yet, or empty when it may.
     *
     * @param conf the group's newest configuration (while a change is under way, the smaller of its old and new voter
     *     sets counts: a commit needs a majority of both)
     * @param designedReplicas the replicas the layout assigns the group
     */
    public static Optional<String> problem(String group, RaftConfiguration conf, int designedReplicas) {
        int voters = conf.getCurrentPeers().size();
        if (!conf.getPreviousPeers().isEmpty()) {
            voters = Math.min(voters, conf.getPreviousPeers().size());
        }
        return problem(group, voters, designedReplicas);
    }

    static Optional<String> problem(String group, int voters, int designedReplicas) {
        int needed = designedReplicas / 2 + 1;
        if (voters >= needed) {
            return Optional.empty();
        }
        return Optional.of(group + " has " + voters + " voting member(s) of the " + designedReplicas
                + " replicas its layout assigns it and serves once " + needed + " vote: the membership controller adds them");
    }
}
