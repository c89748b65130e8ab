package dev.sluice.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns {@link RaftStoreBenchmark} summary lines (one JSON object per line, as {@link RaftBenchReport#toJson}
 * writes them) into a Markdown table: one row per (nodes, clients, value size), each column the
 * median of that column over the repetitions. Lines that are not raft-commit summaries are ignored.
 *
 * <p>Usage: {@code RaftBenchTable FILE...}
 */
public final class RaftBenchTable {

    /** The columns, in order: header and summary key. Errors are summed, not medianed. */
    private static final List<String[]> MEDIAN_COLUMNS = List.of(
            new String[] {"committed writes/s", "committedPerSec"},
            new String[] {"p50 ms", "latencyP50Ms"},
            new String[] {"p99 ms", "latencyP99Ms"},
            new String[] {"max ms", "latencyMaxMs"},
            new String[] {"entries/s", "entriesPerSec"},
            new String[] {"commands/entry", "commandsPerEntry"},
            new String[] {"node CPU ms / 1k writes", "nodesCpuMsPer1kWrites"},
            new String[] {"client CPU ms / 1k writes", "clientCpuMsPer1kWrites"},
            new String[] {"other CPU ms (of capacity)", "otherCpuMs"});

    private RaftBenchTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: RaftBenchTable FILE...");
            System.exit(2);
        }
        List<String> lines = SummaryLines.readAll(args);
        System.out.print(markdown(lines));
    }

    /** The Markdown table of the summary lines among {@code lines}, rows ordered by nodes, then clients. */
    static String markdown(List<String> lines) {
        Map<List<Integer>, List<String>> runsByCell = new TreeMap<>(
                Comparator.<List<Integer>>comparingInt(key -> key.get(0))
                        .thenComparingInt(key -> key.get(1))
                        .thenComparingInt(key -> key.get(2)));
        for (String line : lines) {
            if (line.startsWith("{\"benchmark\":\"raft-commit\"")) {
                List<Integer> cell = List.of((int) SummaryLines.number(line, "nodes"), (int) SummaryLines.number(line, "clients"),
                        (int) SummaryLines.number(line, "valueBytes"));
                runsByCell.computeIfAbsent(cell, key -> new ArrayList<>()).add(line);
            }
        }
        StringBuilder table = new StringBuilder("| nodes | clients | value B | runs |");
        StringBuilder rule = new StringBuilder("| ---: | ---: | ---: | ---: |");
        for (String[] column : MEDIAN_COLUMNS) {
            table.append(' ').append(column[0]).append(" |");
            rule.append(" ---: |");
        }
        table.append(" errors |\n").append(rule).append(" ---: |\n");
        runsByCell.forEach((cell, runs) -> {
            table.append(String.format(Locale.ROOT, "| %d | %d | %d | %d |", cell.get(0), cell.get(1), cell.get(2), runs.size()));
            for (String[] column : MEDIAN_COLUMNS) {
                table.append(' ').append(format(column[1], SummaryLines.median(runs.stream().mapToDouble(run -> SummaryLines.number(run, column[1])).toArray())));
                if (column[1].equals("otherCpuMs")) {
                    table.append(" (").append(format("cpuCapacityMs",
                            SummaryLines.median(runs.stream().mapToDouble(run -> SummaryLines.number(run, "cpuCapacityMs")).toArray()))).append(')');
                }
                table.append(" |");
            }
            table.append(' ').append(Math.round(runs.stream().mapToDouble(run -> SummaryLines.number(run, "errors")).sum())).append(" |\n");
        });
        return table.toString();
    }

    private static String format(String key, double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (key) {
            case "latencyP50Ms", "latencyP99Ms", "latencyMaxMs" -> String.format(Locale.ROOT, "%.2f", value);
            case "commandsPerEntry" -> String.format(Locale.ROOT, "%.1f", value);
            default -> String.format(Locale.ROOT, "%.0f", value);
        };
    }
}
