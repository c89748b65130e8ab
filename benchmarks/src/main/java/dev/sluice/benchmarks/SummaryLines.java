package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the flat one-line JSON summaries the benchmarks print back from files, reads their fields, and
 * takes medians over repetitions. Only for our own summary lines (flat objects, no escaped quotes in the fields
 * read), not a JSON parser.
 */
final class SummaryLines {

    private SummaryLines() {
    }

    /** Every line of every file, in order; summary lines and anything else the run printed. */
    static List<String> readAll(String... files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String file : files) {
            lines.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
        }
        return lines;
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

    /** As {@link #number}, NaN also when the line has no such field (a line written before the field existed). */
    static double numberOrNaN(String json, String key) {
        return json.contains("\"" + key + "\":") ? number(json, key) : Double.NaN;
    }

    /** A top-level string from one of our own flat summary lines; null for a JSON null or a missing key. */
    static String text(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(null|\"([^\"\\\\]*)\")").matcher(json);
        return matcher.find() ? matcher.group(2) : null;
    }
}
