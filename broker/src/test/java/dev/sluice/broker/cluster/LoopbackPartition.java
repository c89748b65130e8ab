package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import java.util.ArrayList;
import java.util.List;

/**
 * Network partitions between the nodes of one {@link SluiceProcesses} cluster on loopback, with iptables. Every node
 * shares 127.0.0.1, and a node's outgoing connections leave from ephemeral ports, so ports alone cannot tell node A's
 * packets to B from C's: each node's JVM runs under a group id of its own ({@code setpriv --regid}, still uid 0), and
 * a rule drops, in the OUTPUT chain of {@code lo}, TCP packets of one node's group to another node's Raft or HTTP port.
 * {@link #isolate} cuts one node off from every other node both ways (each side's requests and heartbeats are dropped,
 * so established gRPC streams stall as on a real partition); the test's own clients, group 0, still reach every node.
 * Every rule names this cluster's ports, so nothing else on the machine is touched; {@link #close} (and a shutdown
 * hook, should the test JVM be stopped) removes what is left.
 *
 * <p>Install before the nodes start ({@link #installOn}): the group id applies from a node's next start.
 */
final class LoopbackPartition implements AutoCloseable {
    private final SluiceProcesses cluster;
    private final List<List<String>> rules = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeAll, "partition-cleanup");

    private LoopbackPartition(SluiceProcesses cluster) {
        this.cluster = cluster;
    }

    /** Checks iptables and root, and starts every node of {@code cluster} under its own group id from now on. */
    static LoopbackPartition installOn(SluiceProcesses cluster) {
        HostTools.requireRoot("a partition (iptables)");
        HostTools.require("iptables", "iptables");
        HostTools.require("setpriv", "util-linux");
        LoopbackPartition partition = new LoopbackPartition(cluster);
        for (int node = 0; node < cluster.httpPorts.length; node++) {
            cluster.launchThrough(node, List.of("setpriv", "--regid", String.valueOf(partition.groupId(node)),
                    "--clear-groups"));
        }
        Runtime.getRuntime().addShutdownHook(partition.cleanup);
        return partition;
    }

    /** A group id per node, derived from its HTTP port, so that two clusters on one machine do not share one. */
    int groupId(int node) {
        return 100_000 + cluster.httpPorts[node];
    }

    /** Cuts node {@code node} off from every other node, both ways, until {@link #heal}. */
    synchronized void isolate(int node) {
        if (!rules.isEmpty()) {
            throw new IllegalStateException("a partition is in place already");
        }
        for (int other = 0; other < cluster.httpPorts.length; other++) {
            if (other != node) {
                add(dropFrom(node, other));
                add(dropFrom(other, node));
            }
        }
        System.out.printf("partition: n%d isolated%n", node + 1);
    }

    /** Removes the partition's rules. */
    synchronized void heal() {
        removeAll();
        System.out.println("partition: healed");
    }

    private List<String> dropFrom(int from, int to) {
        return List.of("OUTPUT", "-o", "lo", "-p", "tcp", "-m", "owner", "--gid-owner", String.valueOf(groupId(from)), "-m",
                "multiport", "--dports", cluster.raftPort(to) + "," + cluster.httpPorts[to], "-j", "DROP");
    }

    private void add(List<String> rule) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-I"));
        command.addAll(rule);
        HostTools.run(command);
        rules.add(rule);
    }

    private synchronized void removeAll() {
        for (List<String> rule : rules) {
            List<String> command = new ArrayList<>(List.of("iptables", "-w", "-D"));
            command.addAll(rule);
            try {
                HostTools.run(command);
            } catch (AssertionError alreadyGone) {
                System.out.println("partition: " + alreadyGone.getMessage());
            }
        }
        rules.clear();
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
