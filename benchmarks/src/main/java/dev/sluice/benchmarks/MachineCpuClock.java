package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy CPU time of the whole machine (all cores), read from the {@code cpu} line of {@code /proc/stat}.
 *
 * <p>On a shared machine, busy time minus the server's and the load generator's own is what other
 * processes took during the window: a large value means the run competed for cores and its numbers
 * are low.
 */
final class MachineCpuClock {

    /** user nice system idle iowait irq softirq steal ...; idle and iowait are not busy. */
    private static final int[] BUSY_FIELDS = {0, 1, 2, 5, 6, 7};

    private final Path statFile;
    private final long clockTicksPerSecond;

    MachineCpuClock(Path statFile, long clockTicksPerSecond) {
        this.statFile = statFile;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    static MachineCpuClock system() {
        return new MachineCpuClock(Path.of("/proc/stat"), ProcessCpuClock.clockTicksPerSecond());
    }

    /** Busy CPU milliseconds summed over all cores since boot. */
    long busyMillis() throws IOException {
        String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
        return ProcessCpuClock.ticksToMillis(busyTicks(stat), clockTicksPerSecond);
    }

    static long busyTicks(String procStat) {
        String firstLine = procStat.lines().findFirst().orElse("");
        String[] fields = firstLine.trim().split("\\s+");
        if (fields.length < 9 || !fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not a /proc/stat cpu line: " + firstLine);
        }
        long ticks = 0;
        for (int field : BUSY_FIELDS) {
            ticks += Long.parseLong(fields[field + 1]);
        }
        return ticks;
    }
}
