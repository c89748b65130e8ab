package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite's short version, in the default run (and with {@code -Pfaults}): three Sluice processes with two
 * data groups, a standard and a FIFO queue with producers and consumers through every node, while the leader of one
 * group is killed (SIGKILL) and restarted, the leader of the other is frozen (SIGSTOP) and thawed, and a node is cut
 * off from the others (iptables, {@link LoopbackPartition}) and reconnected. The checker ({@link QueueHistory}) then
 * finds nothing lost, resurrected, unexpected or out of FIFO order. Needs root and iptables ({@code .ci/run} installs
 * it). About a minute on a quiet machine (230 s at a load average of 40). The long version, with power loss, is
 * {@link LongFaultSuiteIT} ({@code -Pfaults}).
 */
@Tag("fault")
@Tag("fault-suite")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FaultSuiteIT {
    private static final Duration HOLD = Duration.ofSeconds(4);

    @Test
    void aKilledAFrozenAndAPartitionedNodeLoseNoAcknowledgedMessageAndKeepFifoOrder() throws Exception {
        long began = System.nanoTime();
        FaultFigures figures = new FaultFigures();
        try (ClusterScenario scenario = ClusterScenario.start(3, 2, List.of(LoopbackPartition::installOn))) {
            TrackedQueue standard = scenario.createStandard("faults-short", 0);
            TrackedQueue fifo = scenario.createFifo("faults-short.fifo", 3, 1);
            for (int node = 0; node < 3; node++) {
                scenario.workload().produce(node % 2 == 0 ? standard : fifo, node);
            }
            scenario.workload().consume(standard, 1);
            scenario.workload().consume(fifo, 2);
            scenario.runFor(Duration.ofSeconds(2));
            try {
                runKillFreezeAndPartition(scenario, standard, fifo, figures, began);
            } finally {
                scenario.keepLogs(Path.of("target", "fault-suite-short-logs"));
            }
        }
    }

    private static void runKillFreezeAndPartition(ClusterScenario scenario, TrackedQueue standard, TrackedQueue fifo,
            FaultFigures figures, long began) throws Exception {
        Nemesis nemesis = new Nemesis(scenario, figures);
        String killed = scenario.groupsOf(fifo.name()).get(0);
        nemesis.run(new KillFault(scenario.cluster(), scenario.leaderOf(killed), "leader of " + killed), HOLD);
        String frozen = scenario.groupsOf(standard.name()).get(0);
        nemesis.run(new FreezeFault(scenario.cluster(), scenario.leaderOf(frozen), "leader of " + frozen), HOLD);
        int isolated = scenario.leaderOf(killed);
        nemesis.run(new PartitionFault(scenario.fixture(LoopbackPartition.class), isolated, "leader of " + killed), HOLD);
        scenario.runFor(Duration.ofSeconds(2));
        QueueHistory.Report report = scenario.finish(Duration.ofSeconds(60));
        figures.write(Path.of("target", "fault-suite-short.txt"), "checker: " + report);
        System.out.printf("FaultSuiteIT took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        assertTrue(report.valid(), report + scenario.logTails());
        assertTrue(report.acknowledged() > 0, "nothing was acknowledged: " + report);
    }
}
