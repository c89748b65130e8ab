package dev.sluice.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Turns labelled {@link SqsLoadGenerator} summary lines (one configuration per {@code --label}, each
 * repeated with {@code --repetition}) into two Markdown tables: every run, then the median of each
 * column per configuration beside <em>same-run ratios</em> against the first configuration seen.
 *
 * <p>A same-run ratio divides a configuration's number by the first configuration's number of the
 * same repetition (runs made back to back, so under about the same load from other processes), then
 * takes the median over repetitions. On a shared machine that is steadier than a ratio of medians.
 * Lines that are not labelled sqs-e2e summaries are ignored.
 *
 * <p>Usage: {@code SameRunTable FILE...}
 */
public final class SameRunTable {

    /** Header and summary key of each column, in order. */
    private static final List<String[]> COLUMNS = List.of(
            new String[] {"sent msg/s", "sentMsgsPerSec"},
            new String[] {"recv+del msg/s", "receivedDeletedMsgsPerSec"},
            new String[] {"e2e p50 ms", "latencyP50Ms"},
            new String[] {"e2e p99 ms", "latencyP99Ms"},
            new String[] {"server CPU ms / 1k msgs", "serverCpuMsPer1kMsgs"},
            new String[] {"… without JIT", "serverCpuMsPer1kMsgsWithoutJit"},
            new String[] {"client CPU ms / 1k msgs", "clientCpuMsPer1kMsgs"},
            new String[] {"other CPU ms", "otherCpuMs"},
            new String[] {"errors", "errors"});
    /** The columns that get a same-run ratio: header and summary key. */
    private static final List<String[]> RATIOS = List.of(
            new String[] {"sent ×", "sentMsgsPerSec"},
            new String[] {"recv+del ×", "receivedDeletedMsgsPerSec"},
            new String[] {"server CPU / 1k ×", "serverCpuMsPer1kMsgs"},
            new String[] {"… without JIT ×", "serverCpuMsPer1kMsgsWithoutJit"});

    private SameRunTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: SameRunTable FILE...");
            System.exit(2);
        }
        List<String> lines = SummaryLines.readAll(args);
        System.out.print(everyRun(lines));
        System.out.println();
        System.out.print(mediansAndRatios(lines));
    }

    /** One row per run, in the order the runs were made. */
    static String everyRun(List<String> lines) {
        StringBuilder table = header("| configuration | repetition |", "| --- | ---: |", COLUMNS);
        for (String run : labelledRuns(lines)) {
            table.append("| ").append(SummaryLines.text(run, "label")).append(" | ")
                    .append(Math.round(SummaryLines.number(run, "repetition"))).append(" |");
            for (String[] column : COLUMNS) {
                table.append(' ').append(format(column[1], SummaryLines.numberOrNaN(run, column[1]))).append(" |");
            }
            table.append('\n');
        }
        return table.toString();
    }

    /** One row per configuration: medians, then the median same-run ratio against the first configuration. */
    static String mediansAndRatios(List<String> lines) {
        Map<String, Map<Integer, String>> byLabel = byLabelThenRepetition(lines);
        List<String[]> columnsThenRatios = new ArrayList<>(COLUMNS);
        columnsThenRatios.addAll(RATIOS);
        StringBuilder table = header("| configuration | runs |", "| --- | ---: |", columnsThenRatios);
        Map<Integer, String> baseline = byLabel.isEmpty() ? Map.of() : byLabel.values().iterator().next();
        byLabel.forEach((label, runs) -> {
            table.append("| ").append(label).append(" | ").append(runs.size()).append(" |");
            for (String[] column : COLUMNS) {
                double[] values = runs.values().stream().mapToDouble(run -> SummaryLines.numberOrNaN(run, column[1])).toArray();
                table.append(' ').append(format(column[1], SummaryLines.median(values))).append(" |");
            }
            for (String[] ratio : RATIOS) {
                OptionalDouble median = sameRunRatio(runs, baseline, ratio[1]);
                table.append(' ').append(median.isPresent()
                        ? String.format(Locale.ROOT, "%.2f", median.getAsDouble()) : "n/a").append(" |");
            }
            table.append('\n');
        });
        return table.toString();
    }

    /** The median over repetitions present in both of {@code runs[r].key / baseline[r].key}; empty if none. */
    static OptionalDouble sameRunRatio(Map<Integer, String> runs, Map<Integer, String> baseline, String key) {
        List<Double> ratios = new ArrayList<>();
        runs.forEach((repetition, run) -> {
            String base = baseline.get(repetition);
            if (base != null) {
                double denominator = SummaryLines.numberOrNaN(base, key);
                double ratio = SummaryLines.numberOrNaN(run, key) / denominator;
                if (denominator != 0 && !Double.isNaN(ratio)) {
                    ratios.add(ratio);
                }
            }
        });
        double median = SummaryLines.median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        return Double.isNaN(median) ? OptionalDouble.empty() : OptionalDouble.of(median);
    }

    private static List<String> labelledRuns(List<String> lines) {
        return lines.stream()
                .filter(line -> line.startsWith("{\"benchmark\":\"sqs-e2e\""))
                .filter(line -> SummaryLines.text(line, "label") != null)
                .toList();
    }

    /** Labels in the order first seen; within one, runs by repetition (a repeated repetition keeps the last). */
    private static Map<String, Map<Integer, String>> byLabelThenRepetition(List<String> lines) {
        Map<String, Map<Integer, String>> byLabel = new LinkedHashMap<>();
        for (String run : labelledRuns(lines)) {
            byLabel.computeIfAbsent(SummaryLines.text(run, "label"), label -> new TreeMap<>())
                    .put((int) SummaryLines.number(run, "repetition"), run);
        }
        return byLabel;
    }

    private static StringBuilder header(String first, String firstRule, List<String[]> columns) {
        StringBuilder header = new StringBuilder(first);
        StringBuilder rule = new StringBuilder(firstRule);
        for (String[] column : columns) {
            header.append(' ').append(column[0]).append(" |");
            rule.append(" ---: |");
        }
        return header.append('\n').append(rule).append('\n');
    }

    private static String format(String key, double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (key) {
            case "latencyP50Ms", "latencyP99Ms" -> String.format(Locale.ROOT, "%.1f", value);
            default -> String.format(Locale.ROOT, "%.0f", value);
        };
    }
}
