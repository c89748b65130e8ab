package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of a {@code /metrics} scrape: it parses as the Prometheus text format with non-empty help on every family,
 * and what {@code promtool check metrics} (Debian package {@code prometheus}) reports about it, when installed.
 */
public final class PrometheusExposition {
    private static final Pattern HELP = Pattern.compile("# HELP (\\S+)(?: (.*))?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+( \\S+)?");

    private PrometheusExposition() {
    }

    /** Every line is a HELP, TYPE, sample or empty line, and every typed family has non-empty help; the families. */
    public static List<String> assertHelpOnEveryFamily(String scrape) {
        Map<String, String> help = new LinkedHashMap<>();
        List<String> typed = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            Matcher helpLine = HELP.matcher(line);
            Matcher typeLine = TYPE.matcher(line);
            if (helpLine.matches()) {
                help.put(helpLine.group(1), helpLine.group(2) == null ? "" : helpLine.group(2).strip());
            } else if (typeLine.matches()) {
                typed.add(typeLine.group(1));
            } else {
                assertTrue(line.isEmpty() || line.startsWith("# EOF") || SAMPLE.matcher(line).matches(), "not a sample line: " + line);
            }
        }
        for (String family : typed) {
            assertTrue(help.containsKey(family), "no # HELP for " + family);
            assertTrue(!help.get(family).isEmpty(), "empty # HELP for " + family);
        }
        return typed;
    }

    /** What {@code promtool check metrics} prints about the scrape (empty when clean), or empty when promtool is absent. */
    public static Optional<String> promtoolReport(String scrape) throws IOException, InterruptedException {
        File promtool = promtool();
        if (promtool == null) {
            return Optional.empty();
        }
        Process process = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
        process.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool ran");
        return Optional.of(process.exitValue() == 0 || !report.isEmpty() ? report : "promtool exited " + process.exitValue());
    }

    private static File promtool() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "promtool");
            if (candidate.canExecute()) {
                return candidate;
            }
        }
        File installed = new File("/usr/bin/promtool");
        return installed.canExecute() ? installed : null;
    }
}
