package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import java.util.Set;

/** kill -9 of one node; healed by starting it again on its data. */
record KillFault(SluiceProcesses cluster, int node, String role) implements Fault {

    @Override
    public String kind() {
        return "kill";
    }

    @Override
    public String describe() {
        return "SIGKILL n" + (node + 1) + " (" + role + ")";
    }

    @Override
    public Set<Integer> faultedNodes() {
        return Set.of(node);
    }

    @Override
    public void inject() throws InterruptedException {
        cluster.kill(node);
    }

    @Override
    public void heal() throws Exception {
        cluster.start(node);
    }

    @Override
    public boolean restarts() {
        return true;
    }
}
