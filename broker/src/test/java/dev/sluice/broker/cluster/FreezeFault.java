package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import java.util.Set;

/** SIGSTOP of one node (a long GC pause, a stalled VM): its sockets stay open, it answers nothing; healed by SIGCONT. */
record FreezeFault(SluiceProcesses cluster, int node, String role) implements Fault {

    @Override
    public String kind() {
        return "freeze";
    }

    @Override
    public String describe() {
        return "SIGSTOP n" + (node + 1) + " (" + role + ")";
    }

    @Override
    public Set<Integer> faultedNodes() {
        return Set.of(node);
    }

    @Override
    public void inject() throws Exception {
        cluster.pause(node);
    }

    @Override
    public void heal() throws Exception {
        cluster.resume(node);
    }
}
