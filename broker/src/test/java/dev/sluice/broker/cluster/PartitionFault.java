package dev.sluice.broker.cluster;

import java.util.Set;

/** One node cut off from the others, both ways ({@link LoopbackPartition}); clients still reach every node. */
record PartitionFault(LoopbackPartition partition, int node, String role) implements Fault {

    @Override
    public String kind() {
        return "partition";
    }

    @Override
    public String describe() {
        return "isolate n" + (node + 1) + " (" + role + ")";
    }

    @Override
    public Set<Integer> faultedNodes() {
        return Set.of(node);
    }

    @Override
    public void inject() {
        partition.isolate(node);
    }

    @Override
    public void heal() {
        partition.heal();
    }
}
