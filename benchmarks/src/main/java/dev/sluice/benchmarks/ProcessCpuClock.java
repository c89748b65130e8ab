package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user + system) that one Linux process has used, read from {@code /proc/PID/stat}.
 *
 * <p>Used to charge the server under test for its CPU over the measured window, and the load
 * generator for its own, since on a small machine the client competes with the server.
 */
final class ProcessCpuClock {

    /** utime and stime are fields 14 and 15 of /proc/PID/stat; field 3 is the first after "comm)". */
    private static final int UTIME_AFTER_COMM = 14 - 3;
    private static final int STIME_AFTER_COMM = 15 - 3;
    private static final long DEFAULT_CLOCK_TICKS_PER_SECOND = 100;

    private final Path statFile;
    private final long clockTicksPerSecond;

    ProcessCpuClock(Path statFile, long clockTicksPerSecond) {
        this.statFile = statFile;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** A clock for process {@code pid}; fails at once if the process cannot be read. */
    static ProcessCpuClock forPid(long pid) throws IOException {
        ProcessCpuClock clock = new ProcessCpuClock(Path.of("/proc", Long.toString(pid), "stat"), clockTicksPerSecond());
        clock.cpuMillis();
        return clock;
    }

    /** CPU milliseconds used so far (user + system, this process only, not its reaped children). */
    long cpuMillis() throws IOException {
        String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
        return ticksToMillis(cpuTicks(stat), clockTicksPerSecond);
    }

    /**
     * utime + stime in clock ticks. The command name (field 2) is in parentheses and may itself
     * contain spaces and parentheses, so fields are counted from the last ')'.
     */
    static long cpuTicks(String stat) {
        int endOfComm = stat.lastIndexOf(')');
        if (endOfComm < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] fields = stat.substring(endOfComm + 1).trim().split("\\s+");
        if (fields.length <= STIME_AFTER_COMM) {
            throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + stat);
        }
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
    }

    static long ticksToMillis(long ticks, long clockTicksPerSecond) {
        return ticks * 1000 / clockTicksPerSecond;
    }

    /** The kernel's USER_HZ as {@code getconf CLK_TCK} reports it; 100 on every common Linux. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS_PER_SECOND;
    }
}
