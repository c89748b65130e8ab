package dev.sluice.broker.metering;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What StoredMessageByteHours a script of stored bytes must bill, by the rule {@code UsageKind} documents (not by the
 * server's arithmetic): each queue's payload bytes held over time, in byte-milliseconds; a queue's count for a clock
 * hour is the whole byte-hours it completed by the hour's end less those it completed by the hour's start (each queue
 * carries its fraction of a byte-hour into the next hour); an account's count is the sum over its queues. The script
 * must add a queue's changes in time order.
 */
final class ExpectedByteHours {
    private static final long HOUR_MILLIS = 3_600_000L;

    /** A change in the bytes a queue holds, at a time. */
    private record Change(long atMillis, long bytes) {
    }

    private final Map<String, List<Change>> changes = new TreeMap<>();

    /** {@code bytes} more (negative: fewer) held in {@code queue} from {@code at}. */
    void add(String queue, Instant at, long bytes) {
        changes.computeIfAbsent(queue, name -> new ArrayList<>()).add(new Change(at.toEpochMilli(), bytes));
    }

    /** The byte-hours billed per clock hour (hours with none left out) for the time up to {@code until}. */
    Map<Instant, Long> byHour(Instant until) {
        long end = until.toEpochMilli();
        Map<Instant, Long> hours = new TreeMap<>();
        for (List<Change> queue : changes.values()) {
            long first = queue.get(0).atMillis() / HOUR_MILLIS * HOUR_MILLIS;
            for (long hour = first; hour < end; hour += HOUR_MILLIS) {
                long byteHours = byteMillis(queue, Math.min(end, hour + HOUR_MILLIS)) / HOUR_MILLIS
                        - byteMillis(queue, hour) / HOUR_MILLIS;
                if (byteHours > 0) {
                    hours.merge(Instant.ofEpochMilli(hour), byteHours, Long::sum);
                }
            }
        }
        return hours;
    }

    /** The queue's bytes integrated over time up to {@code to}, in byte-milliseconds. */
    private static long byteMillis(List<Change> queue, long to) {
        long total = 0;
        long held = 0;
        long since = queue.get(0).atMillis();
        for (Change change : queue) {
            if (change.atMillis() >= to) {
                break;
            }
            total += held * (change.atMillis() - since);
            held += change.bytes();
            since = change.atMillis();
        }
        return total + held * Math.max(0, to - since);
    }
}
