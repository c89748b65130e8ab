package dev.sluice.broker.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Injects {@link Fault}s into a {@link ClusterScenario} while its workload runs, one at a time, and measures each into
 * {@link FaultFigures}: how long until every producer that was talking to an unfaulted node had a send acknowledged
 * again (for a fault of every node: every producer, after the restart), and how long the faulted nodes took to be
 * healthy after the heal. A cluster that does not serve again, or a node not healthy again, within the bounds fails
 * the run with the nodes' logs.
 */
final class Nemesis {
    static final Duration SERVED_AGAIN_BOUND = Duration.ofSeconds(60);
    /**
     * For every node restarting at once after a power loss of all: three JVMs replaying their logs together took over
     * 2 minutes to be healthy at a load average of 60-90 (four other builds on two cores).
     */
    static final Duration ALL_RESTART_BOUND = ClusterScenario.RESTART_BOUND.multipliedBy(3);
    private static final long POLL_MILLIS = 20;

    private final ClusterScenario scenario;
    private final FaultFigures figures;

    Nemesis(ClusterScenario scenario, FaultFigures figures) {
        this.scenario = scenario;
        this.figures = figures;
    }

    /** Injects {@code fault}, holds it for {@code hold} (at least until the others serve again), heals it. */
    FaultFigures.Outcome run(Fault fault, Duration hold) throws Exception {
        List<SendTimeline> producers = scenario.workload().sendTimelines();
        int[] nodeAtFault = producers.stream().mapToInt(SendTimeline::node).toArray();
        boolean everyNode = fault.faultedNodes().size() == scenario.nodes();
        System.out.println("nemesis: " + fault.describe());
        long faultAt = System.nanoTime();
        fault.inject();
        long recovery = everyNode ? -1 : awaitServed(producers, nodeAtFault, fault.faultedNodes(), faultAt);
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultAt);
        Thread.sleep(Math.max(0, hold.toMillis() - heldMillis));
        long healedAt = System.nanoTime();
        System.out.println("nemesis: heal " + fault.describe());
        fault.heal();
        long restartCpu = -1;
        for (int node : fault.faultedNodes()) {
            try {
                scenario.cluster().awaitHealthy(node, everyNode ? ALL_RESTART_BOUND : ClusterScenario.RESTART_BOUND);
            } catch (AssertionError notHealthy) {
                throw new AssertionError("n" + (node + 1) + " not healthy after " + fault.describe() + ": "
                        + notHealthy.getMessage() + scenario.logTails(), notHealthy);
            }
            if (fault.restarts()) {
                restartCpu = Math.max(restartCpu, scenario.cluster().cpuMillis(node));
            }
        }
        long healthy = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
        String load = loadAverage();
        if (everyNode) {
            recovery = awaitServed(producers, nodeAtFault, Set.of(), faultAt);
        }
        FaultFigures.Outcome outcome = new FaultFigures.Outcome(fault.kind(), fault.describe(), recovery, healthy,
                fault.restarts(), restartCpu, load);
        figures.add(outcome);
        return outcome;
    }

    /** The machine's 1-minute load average as /proc/loadavg gives it ("?" where there is none). */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException none) {
            return "?";
        }
    }

    /**
     * Waits until every producer whose node at the fault was not in {@code faulted} had a send acknowledged after
     * {@code since}; answers the latest of those first acknowledgements, in ms after {@code since}.
     */
    private long awaitServed(List<SendTimeline> producers, int[] nodeAtFault, Set<Integer> faulted, long since)
            throws InterruptedException {
        long deadline = Math.max(since, System.nanoTime()) + SERVED_AGAIN_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            long latest = since;
            boolean all = true;
            for (int i = 0; i < producers.size() && all; i++) {
                if (!faulted.contains(nodeAtFault[i])) {
                    long first = producers.get(i).firstAcknowledgementAfter(since);
                    all = first != -1;
                    latest = Math.max(latest, first);
                }
            }
            if (all) {
                return TimeUnit.NANOSECONDS.toMillis(latest - since);
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("producers not served again within " + SERVED_AGAIN_BOUND + " (after the fault, or after the"
                + " restart of every node): " + unserved(producers, nodeAtFault, faulted, since) + "; surfaced errors "
                + scenario.workload().surfacedErrors() + "; thread dumps of the unfaulted nodes in "
                + dumpThreads(faulted) + scenario.logTails());
    }

    /** Which producers (start order, node at the fault, node now) had no send acknowledged since {@code since}. */
    private static String unserved(List<SendTimeline> producers, int[] nodeAtFault, Set<Integer> faulted, long since) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < producers.size(); i++) {
            if (!faulted.contains(nodeAtFault[i]) && producers.get(i).firstAcknowledgementAfter(since) == -1) {
                text.append(String.format("producer %d (at n%d, now n%d) ", i, nodeAtFault[i] + 1, producers.get(i).node() + 1));
            }
        }
        return text.toString().trim();
    }

    /** jcmd Thread.print of every running node not in {@code faulted}, into target/; answers the files' directory. */
    private java.nio.file.Path dumpThreads(Set<Integer> faulted) {
        java.nio.file.Path directory = java.nio.file.Path.of("target", "fault-suite-threads");
        for (int node = 0; node < scenario.nodes(); node++) {
            if (faulted.contains(node) || !scenario.cluster().running(node)) {
                continue;
            }
            try {
                java.nio.file.Files.createDirectories(directory);
                new ProcessBuilder("jcmd", String.valueOf(scenario.cluster().pid(node)), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(directory.resolve("n" + (node + 1) + ".txt").toFile())
                        .start().waitFor(30, TimeUnit.SECONDS);
            } catch (java.io.IOException | InterruptedException failed) {
                System.out.println("nemesis: no thread dump of n" + (node + 1) + ": " + failed);
            }
        }
        return directory.toAbsolutePath();
    }
}
