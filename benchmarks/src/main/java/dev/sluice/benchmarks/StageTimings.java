package dev.sluice.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one request's time goes on the server between threads, from a JDK Flight Recorder file holding Sluice's
 * stage events ({@code dev.sluice.Stage}, recorded with {@code benchmarks/sluice-stages.jfc}): per stage, how many
 * times it happened and its p50 / p90 / p99 / max in microseconds. Stages, in a message's order: {@code sqs.*} (the
 * SQS route on the event loop), {@code raft.queued} (waiting for an entry slot), {@code raft.write} (Ratis: append,
 * fsync, apply, reply), {@code raft.replies-hop} (apply thread to the group's replies thread), {@code raft.callers}
 * (callers' continuations there), {@code sqs.event-loop-hop} (back to the request's event loop),
 * {@code longpoll.wake-hop} (apply to the thread that wakes long polls) and {@code longpoll.woken-to-proposed}.
 *
 * <p>Usage: {@code StageTimings FILE.jfr [LABEL [FROM_EPOCH_MILLIS]]}: one line per stage on stdout, counting only
 * events that ended at or after FROM_EPOCH_MILLIS (the end of the warm-up).
 */
public final class StageTimings {
    private static final String EVENT = "dev.sluice.Stage";

    private StageTimings() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: StageTimings FILE.jfr [LABEL [FROM_EPOCH_MILLIS]]");
            System.exit(2);
        }
        String label = args.length >= 2 ? args[1] + ": " : "";
        Instant from = args.length == 3 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MIN;
        Map<String, List<Long>> byStage = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (event.getEventType().getName().equals(EVENT) && !event.getEndTime().isBefore(from)) {
                byStage.computeIfAbsent(event.getString("stage"), stage -> new ArrayList<>()).add(event.getLong("time"));
            }
        }
        if (byStage.isEmpty()) {
            System.out.println(label + "no stage events (a build without dev.sluice.Stage, or no requests)");
        }
        byStage.forEach((stage, nanos) -> System.out.println(label + line(stage, nanos)));
    }

    static String line(String stage, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "stage %-26s n=%7d  p50 %8.1f  p90 %8.1f  p99 %8.1f  max %9.1f us", stage,
                sorted.length, micros(sorted, 0.50), micros(sorted, 0.90), micros(sorted, 0.99),
                sorted[sorted.length - 1] / 1_000.0);
    }

    private static double micros(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000.0;
    }
}
