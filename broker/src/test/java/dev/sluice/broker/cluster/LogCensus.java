package dev.sluice.broker.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts what nodes logged after a mark: ERROR and WARN lines, stack-trace frames, and the loggers that wrote
 * them (slf4j-simple's {@code time [thread] LEVEL Logger - message} lines).
 */
final class LogCensus {
    private static final Pattern LINE = Pattern.compile("^\\S+ \\[[^\\]]*\\] (ERROR|WARN|INFO) (\\S+) - (.*)$");

    private final Map<String, Long> byLevelAndLogger = new TreeMap<>();
    private long errors;
    private long warnings;
    private long stackFrames;

    /** Counts the lines of {@code log} after its first {@code skipLines}. */
    void count(Path log, long skipLines) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = (int) Math.min(skipLines, lines.size()); i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("\tat ")) {
                stackFrames++;
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches() && !matcher.group(1).equals("INFO")) {
                if (matcher.group(1).equals("ERROR")) {
                    errors++;
                } else {
                    warnings++;
                }
                byLevelAndLogger.merge(matcher.group(1) + " " + matcher.group(2), 1L, Long::sum);
            }
        }
    }

    static long lineCount(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    long errors() {
        return errors;
    }

    long warnings() {
        return warnings;
    }

    long stackFrames() {
        return stackFrames;
    }

    Map<String, Long> byLevelAndLogger() {
        return byLevelAndLogger;
    }
}
