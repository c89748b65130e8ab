package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite's long version ({@code mvn -B verify -Pfaults}, see README): three Sluice processes with four data
 * groups, two standard and two FIFO queues with producers and consumers through every node the whole time, and for at
 * least {@link #RUN} faults one after another: kill -9 of a group's leader, SIGSTOP of a leader and of a follower,
 * a partition isolating a leader and a follower, power loss of one node and of all three. The checker
 * ({@link QueueHistory}) must find nothing lost, resurrected, unexpected or out of FIFO order; the figures (recovery
 * after each fault, restart times, duplicates) go to {@code target/fault-suite-long.txt} and into
 * benchmarks/RESULTS.md, "Fault suite".
 *
 * <p>Beside it, the checker's negative control: the same cluster after a power loss of all nodes whose disks went
 * back to images taken seconds before (a disk that drops acknowledged writes); the checker must report the loss.
 * Both power-loss tests share this class so that only one at a time changes the machine's writeback sysctls.
 * Needs root, iptables, e2fsprogs and mount ({@code .ci/run} installs them).
 */
@Tag("fault")
@Tag("fault-suite")
@Tag("faults")
@Timeout(value = 1_800, unit = TimeUnit.SECONDS)
class LongFaultSuiteIT {
    private static final int NODES = 3;
    private static final int DATA_GROUPS = 4;
    /** Faults go on until this much time has passed, and at least one of every kind. */
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("sluice.faults.seconds", 300));
    private static final Duration HOLD = Duration.ofSeconds(5);
    /** Between faults, once every node is healthy: the restarted node catches up and the balancer hands leaders back. */
    private static final Duration SETTLE = Duration.ofSeconds(8);

    @Test
    void everyFaultKindForFiveMinutesLosesNoAcknowledgedMessageAndKeepsFifoOrder() throws Exception {
        long began = System.nanoTime();
        FaultFigures figures = new FaultFigures();
        try (ClusterScenario scenario = ClusterScenario.start(NODES, DATA_GROUPS,
                List.of(LoopbackPartition::installOn, LoopDisks::installOn))) {
            try {
                runEveryFaultKind(scenario, figures, began);
            } finally {
                scenario.keepLogs(Path.of("target", "fault-suite-logs"));
            }
        }
    }

    private static void runEveryFaultKind(ClusterScenario scenario, FaultFigures figures, long began) throws Exception {
        startWorkload(scenario);
        scenario.runFor(Duration.ofSeconds(3));
        long faultsBegan = System.nanoTime();
        Nemesis nemesis = new Nemesis(scenario, figures);
        List<IntFunction<Fault>> cycle = faultCycle(scenario);
        for (int i = 0; i < cycle.size() || System.nanoTime() - faultsBegan < RUN.toNanos(); i++) {
            settle(scenario);
            nemesis.run(cycle.get(i % cycle.size()).apply(i), HOLD);
        }
        scenario.runFor(Duration.ofSeconds(3));
        QueueHistory.Report report = scenario.finish(Duration.ofSeconds(120));
        figures.line("run of %d s (faults for %d s), %d faults, %d producers",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - faultsBegan),
                figures.outcomes().size(), scenario.workload().sendTimelines().size());
        figures.line("surfaced client errors: %s", scenario.workload().surfacedErrors());
        figures.write(Path.of("target", "fault-suite-long.txt"), "checker: " + report);
        assertTrue(report.valid(), report + scenario.logTails());
        assertTrue(report.acknowledged() > 0, "nothing was acknowledged: " + report);
    }

    @Test
    void theCheckerReportsLossWhenEveryNodeRestartsFromADiskImageOlderThanItsAcknowledgements() throws Exception {
        try (ClusterScenario scenario = ClusterScenario.start(NODES, 2, List.of(LoopDisks::installOn))) {
            TrackedQueue queue = scenario.createStandard("faults-control", 0);
            for (int node = 0; node < NODES; node++) {
                scenario.workload().produce(queue, node);
            }
            scenario.runFor(Duration.ofSeconds(3));
            LoopDisks disks = scenario.fixture(LoopDisks.class);
            Set<Integer> all = Set.of(0, 1, 2);
            disks.takeImages(all);
            int acknowledgedAtImage = scenario.history().acknowledgedCount();
            scenario.runFor(Duration.ofSeconds(5));
            int acknowledgedSinceImage = scenario.history().acknowledgedCount() - acknowledgedAtImage;
            disks.rollBack(all);
            for (int node = 0; node < NODES; node++) {
                scenario.cluster().start(node);
            }
            for (int node = 0; node < NODES; node++) {
                scenario.cluster().awaitHealthy(node, ClusterScenario.RESTART_BOUND);
            }
            // Consumed only now, so that every message acknowledged after the images was still queued when they were taken.
            scenario.workload().consume(queue, 0);
            QueueHistory.Report report = scenario.finish(Duration.ofSeconds(120));
            System.out.printf("control: %d sends acknowledged after the images; %s%n", acknowledgedSinceImage, report);
            assertTrue(acknowledgedSinceImage > 0, "nothing was acknowledged after the images: no control");
            assertFalse(report.valid(), "the checker missed the rolled-back disks: " + report);
            assertTrue(report.lost().size() >= acknowledgedSinceImage / 2, "lost " + report.lost().size() + " of the "
                    + acknowledgedSinceImage + " sends acknowledged after the images: " + report);
        }
    }

    private static void startWorkload(ClusterScenario scenario) throws Exception {
        List<TrackedQueue> queues = new ArrayList<>();
        queues.add(scenario.createStandard("faults-a", 0));
        queues.add(scenario.createFifo("faults-b.fifo", 4, 1));
        queues.add(scenario.createStandard("faults-c", 2));
        queues.add(scenario.createFifo("faults-d.fifo", 4, 0));
        for (int i = 0; i < queues.size(); i++) {
            System.out.printf("long fault suite: %s in %s%n", queues.get(i).name(), scenario.groupsOf(queues.get(i).name()));
            scenario.workload().produce(queues.get(i), i % NODES);
            scenario.workload().produce(queues.get(i), (i + 1) % NODES);
            scenario.workload().consume(queues.get(i), (i + 2) % NODES);
        }
    }

    /** The faults in turn; each takes the fault's number (to pick a group) and finds its victim when it comes. */
    private static List<IntFunction<Fault>> faultCycle(ClusterScenario scenario) {
        LoopbackPartition partition = scenario.fixture(LoopbackPartition.class);
        LoopDisks disks = scenario.fixture(LoopDisks.class);
        return List.of(
                number -> new KillFault(scenario.cluster(), leaderOf(scenario, number), "leader of " + group(number)),
                number -> new FreezeFault(scenario.cluster(), leaderOf(scenario, number), "leader of " + group(number)),
                number -> new PartitionFault(partition, leaderOf(scenario, number), "leader of " + group(number)),
                number -> new PowerLossFault(scenario.cluster(), disks, Set.of(number % NODES)),
                number -> new FreezeFault(scenario.cluster(), followerOf(scenario, number), "follower of " + group(number)),
                number -> new PartitionFault(partition, followerOf(scenario, number), "follower of " + group(number)),
                number -> new PowerLossFault(scenario.cluster(), disks, Set.of(0, 1, 2)));
    }

    private static String group(int number) {
        return "data-" + number % DATA_GROUPS;
    }

    private static int leaderOf(ClusterScenario scenario, int number) {
        try {
            return scenario.leaderOf(group(number));
        } catch (Exception e) {
            throw new AssertionError("no leader of " + group(number), e);
        }
    }

    private static int followerOf(ClusterScenario scenario, int number) {
        return (leaderOf(scenario, number) + 1 + number % 2) % NODES;
    }

    private static void settle(ClusterScenario scenario) throws Exception {
        for (int node = 0; node < NODES; node++) {
            scenario.cluster().awaitHealthy(node, ClusterScenario.RESTART_BOUND);
        }
        scenario.runFor(SETTLE);
    }
}
