package dev.sluice.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** How tests set a {@link SimulationClock}'s file: replaced atomically, so a node never reads half a time. */
public final class ClockFileWriter {
    private ClockFileWriter() {
    }

    /**
     * Sets the time in {@code file} to {@code at}, then waits out {@link SimulationClock#REREAD_NANOS} twice over, so
     * that every request (and entry) the caller makes afterwards carries the new time on every node reading the file.
     */
    public static void set(Path file, Instant at) throws IOException, InterruptedException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, String.valueOf(at.toEpochMilli()));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(2 * SimulationClock.REREAD_NANOS));
    }
}
