package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The failover measurement (issue 14, "fast, clean failover"): three Sluice processes with three data groups and
 * paced senders through every node, while the leader of the queue's group or of the catalog is killed with SIGKILL
 * and restarted again and again; then the catalog loses its leader while another node is still restarting; then the
 * queue group's leader is frozen (SIGSTOP, a stand-in for a partition) and thawed. Prints per fault the gap until every
 * sender on a live node had a send acknowledged, each group's longest stretch without a leader, the restart time with
 * the backlog so far, and the ERROR/WARN lines and stack frames the nodes logged per fault; and holds the targets:
 * next acknowledged send after a kill p50 <= 1.5 s and max <= 4 s, every group with a live majority led again within
 * 3 s, the frozen leader's peers serving within 3 s. A measurement for a quiet machine, so tagged {@code cluster}
 * (run with {@code -Pcluster}, see README); {@code -Dsluice.failover.targets=false} only measures;
 * {@code -Dsluice.failover.kills=N} sets the number of kills (default 8: every other one
 * kills the queue group's leader, whose kills the send gaps are taken from; the others kill the catalog's leader).
 */
@Tag("fault")
@Tag("cluster")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class FailoverMeasurementIT {
    private static final int NODES = 3;
    private static final int KILLS = Integer.getInteger("sluice.failover.kills", 8);
    /** {@code -Dsluice.failover.targets=false} measures and reports without holding the targets (a loaded machine). */
    private static final boolean ASSERT_TARGETS = !"false".equals(System.getProperty("sluice.failover.targets"));
    /** The leadership balancer hands a group back 10 s after a failover; a fault is injected only after that. */
    private static final Duration SETTLE = Duration.ofSeconds(14);
    private static final Duration SERVED_AGAIN_BOUND = Duration.ofSeconds(30);
    private static final Duration FREEZE = Duration.ofSeconds(6);
    /** A JVM start to healthy: three JVMs took over two minutes at a load average of 90 (others' builds on 2 cores). */
    private static final Duration START_BOUND = Duration.ofSeconds(300);

    private final List<String> report = new ArrayList<>();

    @Test
    void leaderKillsFreezesAndACatalogDoubleFaultMeetTheFailoverTargets() throws Exception {
        try (SluiceProcesses sluice = new SluiceProcesses(NODES, List.of("--data-groups", "3"))) {
            for (int node = 0; node < NODES; node++) {
                sluice.start(node);
            }
            settle(sluice); // not startAll's 60 s: three JVMs took 50 s to start at a load average of 40
            String url;
            try (SqsClient sqs = SqsTestServer.client(sluice.httpPorts[0])) {
                url = sqs.createQueue(b -> b.queueName("failover")).queueUrl();
            }
            long[] logMarks = new long[NODES];
            List<Long> killGaps = new ArrayList<>();
            List<Long> leaderGaps = new ArrayList<>();
            long catalogDoubleFaultGap;
            long frozenPeersGap;
            int faults = 0;
            try (LeaderWatch watch = new LeaderWatch(sluice.httpPorts);
                    PacedSenders senders = new PacedSenders(sluice.httpPorts, 2, url, 20)) {
                awaitEverySenderServed(senders, sluice, -1, System.nanoTime() - 1);
                for (int node = 0; node < NODES; node++) {
                    logMarks[node] = LogCensus.lineCount(sluice.logFile(node));
                }
                for (int kill = 0; kill < KILLS; kill++, faults++) {
                    settle(sluice);
                    String group = kill % 2 == 0 ? "data-0" : "catalog";
                    int victim = selfConfirmedLeader(sluice, group);
                    long killedAt = System.nanoTime();
                    sluice.kill(victim);
                    line("kill %d at %s (wall clock, for the node logs)", kill + 1, java.time.Instant.now());
                    long gap = awaitEverySenderServed(senders, sluice, victim, killedAt);
                    attempts(senders, victim, killedAt);
                    Thread.sleep(3_000);
                    Map<String, Long> leaderless = watch.longestGapsMillis(killedAt, System.nanoTime());
                    if (group.equals("data-0")) {
                        killGaps.add(gap); // a catalog leader's death need not stop sends at all
                    }
                    leaderless.forEach((name, millis) -> {
                        if (name.startsWith("data-") || name.equals("catalog")) {
                            leaderGaps.add(millis);
                        }
                    });
                    long restartMillis = restart(sluice, victim);
                    line("kill %d: leader of %s n%d; every live sender served after %d ms; longest leaderless ms %s; "
                            + "restart to healthy %d ms with %d messages queued", kill + 1, group, victim + 1, gap, leaderless,
                            restartMillis, senders.acknowledged());
                }

                settle(sluice);
                catalogDoubleFaultGap = catalogLosesItsLeaderWhileAnotherNodeRestarts(sluice, watch);
                faults++;

                settle(sluice);
                frozenPeersGap = freezeTheQueueLeader(sluice, watch, senders);
                faults++;
                line("sends acknowledged %d, failed %d", senders.acknowledged(), senders.failed());
            }
            census(sluice, logMarks, faults);
            Files.write(Path.of("target", "failover-measurement.txt"), report);
            long p50 = FaultFigures.median(killGaps);
            long max = Collections.max(killGaps);
            line("next acknowledged send after a leader kill: p50 %d ms, max %d ms (target 1500 / 4000)", p50, max);
            if (!ASSERT_TARGETS) {
                return;
            }
            assertTrue(p50 <= 1_500 && max <= 4_000, "kill gaps " + killGaps);
            assertTrue(Collections.max(leaderGaps) <= 3_000, "leaderless stretches " + leaderGaps);
            assertTrue(catalogDoubleFaultGap <= 3_000, "catalog leaderless after a majority was live: " + catalogDoubleFaultGap);
            assertTrue(frozenPeersGap <= 3_000, "the frozen leader's peers served after " + frozenPeersGap + " ms");
        }
    }

    /**
     * The catalog's leader dies and is restarted at once; as soon as another node leads the catalog, that node dies
     * too, while the first is still starting. Returns how long the catalog had no leader after the restarted node
     * answered {@code /health/live} (from then on two of three are live).
     */
    private long catalogLosesItsLeaderWhileAnotherNodeRestarts(SluiceProcesses sluice, LeaderWatch watch) throws Exception {
        int first = sluice.leaderOf("catalog", anyRunning(sluice, -1));
        sluice.kill(first);
        long firstKilledAt = System.nanoTime();
        sluice.start(first);
        int third = (first + 1) % NODES;
        int second = sluice.leaderOf("catalog", third);
        if (second == first) {
            second = (first + 2) % NODES; // the dead node still named: kill the other one
        } else if (second == third) {
            third = (first + 2) % NODES;
        }
        sluice.kill(second);
        long secondKilledAt = System.nanoTime();
        new HttpProbe(sluice.httpPorts[first]).awaitStatus("/health/live", 200, START_BOUND);
        long majorityLiveAt = System.nanoTime();
        sluice.leaderOf("catalog", third);
        Thread.sleep(1_000);
        long afterMajority = watch.longestGapsMillis(majorityLiveAt, System.nanoTime()).getOrDefault("catalog", -1L);
        long total = watch.longestGapsMillis(secondKilledAt, System.nanoTime()).getOrDefault("catalog", -1L);
        long restartMillis = restart(sluice, second);
        line("catalog double fault: killed n%d, restarted it, killed n%d %d ms later; n%d live %d ms after its kill; "
                + "catalog leaderless %d ms in all, %d ms once two nodes were live; n%d restart to healthy %d ms", first + 1,
                second + 1, TimeUnit.NANOSECONDS.toMillis(secondKilledAt - firstKilledAt), first + 1,
                TimeUnit.NANOSECONDS.toMillis(majorityLiveAt - firstKilledAt), total, afterMajority, second + 1, restartMillis);
        return afterMajority;
    }

    /** Freezes data-0's leader for {@link #FREEZE}; returns how long until the other nodes' senders were served. */
    /**
     * The node leading {@code group} as that node itself says: another node may still name a leader that was replaced
     * (a run froze a node that no longer led {@code data-0} and measured no failover).
     */
    private static int selfConfirmedLeader(SluiceProcesses sluice, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int named = sluice.leaderOf(group, anyRunning(sluice, -1));
            if (sluice.leaderOf(group, named) == named) {
                return named;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no node says it leads " + group);
            }
            Thread.sleep(100);
        }
    }

    private long freezeTheQueueLeader(SluiceProcesses sluice, LeaderWatch watch, PacedSenders senders) throws Exception {
        int frozen = selfConfirmedLeader(sluice, "data-0");
        watch.ignore(frozen);
        long frozenAt = System.nanoTime();
        sluice.pause(frozen);
        line("freeze at %s (wall clock)", java.time.Instant.now());
        long peersGap = awaitEverySenderServed(senders, sluice, frozen, frozenAt);
        attempts(senders, frozen, frozenAt);
        Map<String, Long> leaderless = watch.longestGapsMillis(frozenAt, System.nanoTime());
        long sleep = FREEZE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        Thread.sleep(Math.max(0, sleep));
        long thawedAt = System.nanoTime();
        sluice.resume(frozen);
        watch.watchAgain(frozen);
        long frozenNodeGap = awaitSendersServed(senders, sluice, node -> node == frozen, thawedAt);
        line("freeze: data-0 leader n%d frozen %d ms; senders on the other nodes served after %d ms; longest leaderless "
                + "ms %s; senders on the thawed node served %d ms after SIGCONT", frozen + 1, FREEZE.toMillis(), peersGap,
                leaderless, frozenNodeGap);
        return peersGap;
    }

    /** Reports each live sender's sends from the fault to its first acknowledgement after it. */
    private void attempts(PacedSenders senders, int down, long faultAt) {
        for (int sender = 0; sender < senders.senders(); sender++) {
            if (senders.nodeOf(sender) != down) {
                line("  sender %d via n%d:%s", sender, senders.nodeOf(sender) + 1, senders.attemptsUntilServed(sender, faultAt));
            }
        }
    }

    /** Waits until every node is healthy, then {@link #SETTLE} (leaders handed back to their preferred nodes). */
    private static void settle(SluiceProcesses sluice) throws Exception {
        for (int node = 0; node < NODES; node++) {
            sluice.awaitHealthy(node, START_BOUND);
        }
        Thread.sleep(SETTLE.toMillis());
    }

    private static long restart(SluiceProcesses sluice, int node) throws Exception {
        long startedAt = System.nanoTime();
        sluice.start(node);
        sluice.awaitHealthy(node, START_BOUND);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }

    private static int anyRunning(SluiceProcesses sluice, int except) {
        for (int node = 0; node < NODES; node++) {
            if (node != except && sluice.running(node)) {
                return node;
            }
        }
        throw new IllegalStateException("no node running");
    }

    /**
     * Waits until every sender through a node other than {@code down} had a send acknowledged after {@code since};
     * returns the latest of those first acknowledgements, in ms after {@code since}.
     */
    private static long awaitEverySenderServed(PacedSenders senders, SluiceProcesses sluice, int down, long since)
            throws InterruptedException {
        return awaitSendersServed(senders, sluice, node -> node != down, since);
    }

    /** As {@link #awaitEverySenderServed}, for the senders through the nodes {@code through} accepts. */
    private static long awaitSendersServed(PacedSenders senders, SluiceProcesses sluice, IntPredicate through, long since)
            throws InterruptedException {
        long deadline = System.nanoTime() + SERVED_AGAIN_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            long latest = since;
            boolean all = true;
            for (int sender = 0; sender < senders.senders(); sender++) {
                if (through.test(senders.nodeOf(sender))) {
                    long first = senders.firstAckAfter(sender, since);
                    all &= first != -1;
                    latest = Math.max(latest, first);
                }
            }
            if (all) {
                return TimeUnit.NANOSECONDS.toMillis(latest - since);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not every sender was served within " + SERVED_AGAIN_BOUND + sluice.logTails());
    }

    /** Counts what the nodes logged since the senders first ran, keeps the logs under target/, adds it to the report. */
    private void census(SluiceProcesses sluice, long[] logMarks, int faults) throws Exception {
        LogCensus census = new LogCensus();
        Path kept = Files.createDirectories(Path.of("target", "failover-logs"));
        for (int node = 0; node < NODES; node++) {
            census.count(sluice.logFile(node), logMarks[node]);
            Files.copy(sluice.logFile(node), kept.resolve("n" + (node + 1) + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
        line("logs over %d faults (each with its restart): ERROR %d, WARN %d, stack frames %d; per fault %.1f / %.1f / %.1f",
                faults, census.errors(), census.warnings(), census.stackFrames(), census.errors() / (double) faults,
                census.warnings() / (double) faults, census.stackFrames() / (double) faults);
        Map<String, Long> loggers = new TreeMap<>(census.byLevelAndLogger());
        line("by level and logger: %s", loggers);
    }

    private void line(String format, Object... arguments) {
        String text = String.format(format, arguments);
        System.out.println("failover-measurement: " + text);
        report.add(text);
    }
}
