package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        List<String> lines = new ArrayList<>();
        for (String file : args) {
            lines.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
        }
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
                List<Integer> cell = List.of((int) number(line, "nodes"), (int) number(line, "clients"),
                        (int) number(line, "valueBytes"));
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
                table.append(' ').append(format(column[1], median(runs.stream().mapToDouble(run -> number(run, column[1])).toArray())));
                if (column[1].equals("otherCpuMs")) {
                    table.append(" (").append(format("cpuCapacityMs",
                            median(runs.stream().mapToDouble(run -> number(run, "cpuCapacityMs")).toArray()))).append(')');
                }
                table.append(" |");
            }
            table.append(' ').append(Math.round(runs.stream().mapToDouble(run -> number(run, "errors")).sum())).append(" |\n");
        });
        return table.toString();
    }

    /** The median, ignoring NaN (a null in the summary); NaN when nothing is left. */
    static double median(double[] values) {
        double[] known = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (known.length == 0) {
            return Double.NaN;
        }
        int middle = known.length / 2;
        return known.length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
    }

    /** A top-level number from one of our own flat summary lines; NaN for null. */
    static double number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(null|-?[0-9.eE+-]+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no numeric field " + key + " in " + json);
        }
        return matcher.group(1).equals("null") ? Double.NaN : Double.parseDouble(matcher.group(1));
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
