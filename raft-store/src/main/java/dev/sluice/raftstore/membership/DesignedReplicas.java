package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How many replicas the cluster layout assigns each group: as this node's catalog replica holds the layout, and before
 * there is one (a new cluster's founding, until the catalog has a majority to store it) as the initial layout every
 * node computes from its configured members. Needs nothing persisted of its own, so a founder restarted before the
 * controller added the others still knows its groups want more members than it has.
 *
 * <p>Threads: any; {@link #follow} once, before the node serves.
 */
public final class DesignedReplicas {
    private final ClusterLayout initial;
    private volatile Supplier<Optional<ClusterLayout>> current = Optional::empty;

    /** @param members the configured members, this node included (a single node: itself) */
    public DesignedReplicas(List<Peer> members, int dataGroups, int replicationFactor) {
        this.initial = LayoutChanges.initial(members, dataGroups, replicationFactor);
    }

    /** From now on the layout this node's catalog replica holds, once it holds one, counts. */
    public void follow(Supplier<Optional<ClusterLayout>> localLayout) {
        this.current = localLayout;
    }

    public int of(String group) {
        return current.get().flatMap(layout -> layout.group(group)).or(() -> initial.group(group))
                .map(placed -> placed.members().size()).orElseThrow(() -> new IllegalArgumentException("no group " + group));
    }
}
