package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import java.util.Set;
import java.util.TreeSet;

/**
 * Power loss of some nodes at one instant ({@link LoopDisks#powerLoss}): every write they did not fsync is gone; healed
 * by starting them on what their disks kept.
 */
record PowerLossFault(SluiceProcesses cluster, LoopDisks disks, Set<Integer> nodes) implements Fault {

    PowerLossFault {
        nodes = Set.copyOf(new TreeSet<>(nodes));
    }

    @Override
    public String kind() {
        return nodes.size() == cluster.httpPorts.length ? "power loss (all nodes)" : "power loss (one node)";
    }

    @Override
    public String describe() {
        StringBuilder names = new StringBuilder();
        new TreeSet<>(nodes).forEach(node -> names.append(" n").append(node + 1));
        return "power loss of" + names;
    }

    @Override
    public Set<Integer> faultedNodes() {
        return nodes;
    }

    @Override
    public void inject() throws Exception {
        disks.powerLoss(new TreeSet<>(nodes));
    }

    @Override
    public void heal() throws Exception {
        for (int node : new TreeSet<>(nodes)) {
            cluster.start(node);
        }
    }

    @Override
    public boolean restarts() {
        return true;
    }
}
