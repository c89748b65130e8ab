package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU ticks of every thread of one Linux process at one moment, from {@code /proc/PID/task/TID/stat}
 * and {@code comm}. Two snapshots around the measured window tell where the server spent its CPU, by
 * thread name, and how busy its busiest single thread was: a thread near 100% of a core is a serial
 * bottleneck (one Raft group's apply or log thread, one event loop) that a second core cannot help.
 *
 * <p>Names are Linux's (15 characters: Ratis's threads of one group all read {@code n1@group-BDA734}) unless
 * full names are given ({@link JavaThreadNames}); trailing digits fold to {@code N}, so pools read as one.
 *
 * @param threads thread id to (name, CPU ticks so far)
 */
record ThreadCpuSnapshot(Map<Long, ThreadTicks> threads) {

    /** One thread's folded name and user + system ticks so far. */
    record ThreadTicks(String name, long ticks) {
    }

    private static final Pattern TRUNCATED_GROUP_ID = Pattern.compile("@group-[0-9A-F]*$");

    ThreadCpuSnapshot {
        threads = Map.copyOf(threads);
    }

    /** Every thread of {@code pid} now; threads that end while being read are left out. */
    static ThreadCpuSnapshot of(long pid) throws IOException {
        Map<Long, ThreadTicks> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    long ticks = ProcessCpuClock.cpuTicks(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII));
                    threads.put(Long.parseLong(task.getFileName().toString()), new ThreadTicks(foldedName(name), ticks));
                } catch (NoSuchFileException ended) {
                    // The thread ended between the listing and the read: it used no CPU from here on.
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new ThreadCpuSnapshot(threads);
    }

    static String foldedName(String name) {
        // A truncated Ratis name ends in a group id's hex digits, which tell groups apart: keep them.
        String folded = TRUNCATED_GROUP_ID.matcher(name).find() ? name : name.replaceFirst("[0-9]+$", "N");
        return folded.replace(' ', '_');
    }

    /** The same ticks, with the names {@code fullNames} has for a thread id (e.g. from {@link JavaThreadNames}). */
    ThreadCpuSnapshot renamed(Map<Long, String> fullNames) {
        Map<Long, ThreadTicks> renamed = new HashMap<>();
        threads.forEach((id, thread) -> renamed.put(id, fullNames.containsKey(id)
                ? new ThreadTicks(foldedName(fullNames.get(id)), thread.ticks())
                : thread));
        return new ThreadCpuSnapshot(renamed);
    }

    /**
     * What the server's threads used over a window.
     *
     * @param breakdown          the busiest thread other than the JIT compilers, as a share of one core, then
     *                           CPU milliseconds per thread name, largest first
     * @param jitCompilerMillis  CPU of the JIT compiler threads: warm-up cost a fresh JVM still pays in the window
     */
    record ThreadUse(String breakdown, long jitCompilerMillis) {
    }

    /** What the threads used from {@code before} to this snapshot, over {@code windowMillis}; the {@code top} names. */
    ThreadUse usedSince(ThreadCpuSnapshot before, long windowMillis, long clockTicksPerSecond, int top) {
        Map<Long, Long> usedByThread = new HashMap<>();
        threads.forEach((id, now) -> {
            ThreadTicks then = before.threads.get(id);
            usedByThread.put(id, now.ticks() - (then == null ? 0 : then.ticks()));
        });
        Map<String, Long> usedByName = usedByThread.entrySet().stream().collect(Collectors.groupingBy(
                used -> threads.get(used.getKey()).name(), Collectors.summingLong(Map.Entry::getValue)));
        Map.Entry<Long, Long> busiest = usedByThread.entrySet().stream()
                .filter(used -> !isJitCompiler(threads.get(used.getKey()).name()))
                .max(Map.Entry.<Long, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElse(Map.entry(0L, 0L));
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "busiest thread %s %.0f%% of a core; by name:",
                busiest.getKey() == 0 ? "none" : threads.get(busiest.getKey()).name(),
                100.0 * ProcessCpuClock.ticksToMillis(busiest.getValue(), clockTicksPerSecond) / Math.max(1, windowMillis)));
        List<Map.Entry<String, Long>> largest = usedByName.entrySet().stream()
                .filter(used -> used.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .toList();
        for (Map.Entry<String, Long> used : largest) {
            summary.append(' ').append(used.getKey()).append(' ')
                    .append(ProcessCpuClock.ticksToMillis(used.getValue(), clockTicksPerSecond)).append(" ms,");
        }
        summary.setLength(summary.length() - (largest.isEmpty() ? 0 : 1));
        long jitTicks = usedByName.entrySet().stream().filter(used -> isJitCompiler(used.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        return new ThreadUse(summary.toString(), ProcessCpuClock.ticksToMillis(jitTicks, clockTicksPerSecond));
    }

    /** HotSpot's C1 and C2 compiler threads, by full or by Linux's 15-character name, folded. */
    static boolean isJitCompiler(String foldedName) {
        return foldedName.startsWith("C1_CompilerThre") || foldedName.startsWith("C2_CompilerThre");
    }
}
