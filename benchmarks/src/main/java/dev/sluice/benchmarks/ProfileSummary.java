package dev.sluice.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a server's CPU goes, from an async-profiler CPU profile in collapsed form recorded with threads ({@code asprof
 * -e cpu -t -o collapsed}: one line per distinct stack, {@code [thread tid=N];outermost;...;innermost COUNT}). Prints
 * the samples' shares by thread role, by kind of work, the busiest innermost frames and the busiest Sluice frames.
 *
 * <p>The kind of a sample is decided by its innermost frame that names one, so a futex wait under Ratis counts as a
 * thread hand-off and a HashMap lookup under Jackson as JSON; compiler and GC threads are their own kinds whatever
 * they run, and a stack through fsync is the fsync's. Frames of the JDK and unnamed kernel paths name no kind and pass
 * the decision outwards.
 *
 * <p>Usage: {@code ProfileSummary FILE.collapsed [TOP]}.
 */
public final class ProfileSummary {
    /** Kinds by thread role (numbers as N): whatever these threads run is their kind. */
    private static final Map<String, Pattern> THREAD_KINDS = kinds(
            "JIT compiler", "CompilerThre",
            "garbage collector", "^(GN |GC Thread|VM Thread)");
    /** Kinds by any frame of the stack: an fsync's waits and wake-ups are the fsync's. */
    private static final Map<String, Pattern> STACK_KINDS = kinds(
            "fsync (kernel)", "fdatasync|fsync");
    /** Kinds by frame, checked in this order on each frame from the innermost outwards. */
    private static final Map<String, Pattern> FRAME_KINDS = kinds(
            "thread hand-off (park, wake, switch)",
                    "futex|__schedule|schedule_|finish_task_switch|try_to_wake_up|Unsafe\\.(un)?park|sched_yield",
            "file write (kernel)", "^ext4_|^vfs_write|^__x64_sys_pwrite",
            "network (kernel)", "^tcp_|^sock_|^__sys_|epoll|^__x64_sys_(read|write|writev|readv)|^do_writev|netif|_skb",
            "RocksDB", "rocksdb",
            "JSON (Jackson)", "com/fasterxml/jackson",
            "Ratis", "org/apache/ratis",
            "HTTP (Vert.x, Netty)", "io/vertx|io/netty",
            "Sluice", "dev/sluice");
    private static final String OTHER = "other (JDK, kernel, JVM runtime)";
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern GROUP_ID = Pattern.compile("group-[0-9A-F]{12}");

    private final Map<String, Long> byThread = new HashMap<>();
    private final Map<String, Long> byKind = new LinkedHashMap<>();
    private final Map<String, Long> bySelfFrame = new HashMap<>();
    private final Map<String, Long> bySluiceFrame = new HashMap<>();
    private long total;

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ProfileSummary FILE.collapsed [TOP]");
            System.exit(2);
        }
        ProfileSummary summary = new ProfileSummary();
        try (BufferedReader lines = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            lines.lines().forEach(summary::add);
        }
        System.out.print(summary.report(args.length == 2 ? Integer.parseInt(args[1]) : 20));
    }

    /** Adds one collapsed line; lines that are not {@code STACK COUNT} are skipped. */
    void add(String line) {
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
            return;
        }
        long count;
        try {
            count = Long.parseLong(line.substring(space + 1).trim());
        } catch (NumberFormatException e) {
            return;
        }
        String[] frames = line.substring(0, space).split(";");
        String thread = threadRole(frames[0]);
        total += count;
        byThread.merge(thread, count, Long::sum);
        byKind.merge(kindOf(thread, frames), count, Long::sum);
        bySelfFrame.merge(frames[frames.length - 1], count, Long::sum);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < frames.length; i++) {
            if (frames[i].startsWith("dev/sluice") && !frames[i].contains("$$Lambda") && seen.add(frames[i])) {
                bySluiceFrame.merge(frames[i], count, Long::sum);
            }
        }
    }

    /** A thread's name without its numbers: {@code [n1@group-BDA7342DF7AC-StateMachineUpdater tid=42]} -> its role. */
    static String threadRole(String threadFrame) {
        String name = threadFrame.replaceFirst("^\\[", "").replaceFirst("( tid=\\d+)?]$", "");
        return DIGITS.matcher(GROUP_ID.matcher(name).replaceAll("group")).replaceAll("N");
    }

    static String kindOf(String threadRole, String[] frames) {
        for (Map.Entry<String, Pattern> kind : THREAD_KINDS.entrySet()) {
            if (kind.getValue().matcher(threadRole).find()) {
                return kind.getKey();
            }
        }
        for (Map.Entry<String, Pattern> kind : STACK_KINDS.entrySet()) {
            for (int i = 1; i < frames.length; i++) {
                if (kind.getValue().matcher(frames[i]).find()) {
                    return kind.getKey();
                }
            }
        }
        for (int i = frames.length - 1; i >= 1; i--) {
            for (Map.Entry<String, Pattern> kind : FRAME_KINDS.entrySet()) {
                if (kind.getValue().matcher(frames[i]).find()) {
                    return kind.getKey();
                }
            }
        }
        return OTHER;
    }

    String report(int top) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d samples%n", total));
        section(out, "by thread role", byThread, top);
        section(out, "by kind of work (innermost frame that names one)", byKind, byKind.size());
        section(out, "busiest innermost frames (self)", bySelfFrame, top);
        section(out, "busiest Sluice frames (inclusive)", bySluiceFrame, top);
        return out.toString();
    }

    private void section(StringBuilder out, String title, Map<String, Long> counts, int top) {
        out.append("-- ").append(title).append(System.lineSeparator());
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> entry : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * entry.getValue() / Math.max(1, total),
                    entry.getKey()));
        }
    }

    private static Map<String, Pattern> kinds(String... namesAndPatterns) {
        Map<String, Pattern> kinds = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPatterns.length; i += 2) {
            kinds.put(namesAndPatterns[i], Pattern.compile(namesAndPatterns[i + 1]));
        }
        return kinds;
    }
}
