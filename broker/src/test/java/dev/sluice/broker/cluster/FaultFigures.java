package dev.sluice.broker.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fault run measured, per fault and summed up per kind: recovery (fault to the moment every producer on an
 * unfaulted node had a send acknowledged; for a fault of every node, until every producer had), and the time from
 * heal to healthy (a restart time for kills and power losses). With the checker's verdict, {@link #write} puts it in a
 * file under target/ for RESULTS.md. Called from the test thread only.
 */
final class FaultFigures {
    /**
     * One fault's figures; -1 where nothing was measured. {@code restartCpuMillis}: the CPU a restarted JVM had used when
     * it was healthy (the most of the restarted nodes), which against the wall time says whether a slow restart waited
     * or was starved of CPU; {@code loadAverage}: the machine's at that moment.
     */
    record Outcome(String kind, String description, long recoveryMillis, long healthyAfterHealMillis, boolean restarted,
            long restartCpuMillis, String loadAverage) {
    }

    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    void add(Outcome outcome) {
        outcomes.add(outcome);
        line("%s: served again after %d ms; %s %d ms after heal%s", outcome.description(), outcome.recoveryMillis(),
                outcome.restarted() ? "restarted, healthy" : "healthy", outcome.healthyAfterHealMillis(),
                outcome.restarted() ? String.format(" (its JVM had used %d ms of CPU; load average %s)",
                        outcome.restartCpuMillis(), outcome.loadAverage()) : "");
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Appends a line to the figures (and prints it). */
    void line(String format, Object... arguments) {
        String text = String.format(format, arguments);
        System.out.println("fault-suite: " + text);
        lines.add(text);
    }

    /** Per kind: count, recovery p50/max, heal-to-healthy p50/max; then restart p50/max over every restart. */
    List<String> summary() {
        Map<String, List<Outcome>> byKind = new LinkedHashMap<>();
        outcomes.forEach(outcome -> byKind.computeIfAbsent(outcome.kind(), kind -> new ArrayList<>()).add(outcome));
        List<String> summary = new ArrayList<>();
        byKind.forEach((kind, faults) -> {
            List<Long> recoveries = faults.stream().map(Outcome::recoveryMillis).toList();
            List<Long> healthy = faults.stream().map(Outcome::healthyAfterHealMillis).toList();
            summary.add(String.format("%s: %d faults; served again p50 %d ms, max %d ms; healthy after heal p50 %d ms, "
                    + "max %d ms", kind, faults.size(), median(recoveries), Collections.max(recoveries), median(healthy),
                    Collections.max(healthy)));
        });
        List<Long> restarts = outcomes.stream().filter(Outcome::restarted).map(Outcome::healthyAfterHealMillis).toList();
        if (!restarts.isEmpty()) {
            List<Long> cpu = outcomes.stream().filter(Outcome::restarted).map(Outcome::restartCpuMillis).toList();
            summary.add(String.format("restart to healthy (kills and power losses): p50 %d ms, max %d ms; CPU the JVM used "
                    + "by then p50 %d ms, max %d ms", median(restarts), Collections.max(restarts), median(cpu),
                    Collections.max(cpu)));
        }
        return summary;
    }

    /** Writes every line, the summary and {@code verdict} to {@code file}. */
    void write(Path file, String verdict) throws IOException {
        List<String> out = new ArrayList<>(lines);
        out.addAll(summary());
        out.add(verdict);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out);
        summary().forEach(line -> System.out.println("fault-suite: " + line));
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
