package dev.sluice.broker.sqs;

import dev.sluice.broker.SluiceServer;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code sluice_queue_commands_total} counters of a server's {@code /metrics}, by command type, summed over the data groups. */
public final class QueueCommandCounts {
    private static final Pattern LINE = Pattern.compile(
            "(?m)^sluice_queue_commands_total\\{group=\"[^\"]+\",type=\"([a-z_0-9]+)\"} ([0-9.E]+)$");

    private QueueCommandCounts() {
    }

    public static Map<String, Long> of(SluiceServer server) {
        Map<String, Long> byType = new TreeMap<>();
        Matcher line = LINE.matcher(server.meters().scrape());
        while (line.find()) {
            byType.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        return byType;
    }

    /** What was counted between two readings, by type, leaving out the types that did not move. */
    public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new TreeMap<>();
        after.forEach((type, count) -> {
            long delta = count - before.getOrDefault(type, 0L);
            if (delta != 0) {
                spent.put(type, delta);
            }
        });
        return spent;
    }
}
