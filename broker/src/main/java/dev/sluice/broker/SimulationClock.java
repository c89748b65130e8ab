package dev.sluice.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For tests and simulations only ({@code simulation.clockFile}): a clock that shows the time written in a file, so that
 * a test sets the time of every node of a cluster at once (the leader stamps it into each log entry: billing hours,
 * visibility and delays follow it) and the clock stands still between the test's moves. The file holds epoch
 * milliseconds or an ISO-8601 instant; a writer replaces it atomically (write a sibling, rename over).
 *
 * <p>The file is read when the clock is opened (missing or unreadable: {@link #open} refuses) and again at most once
 * every {@link #REREAD_NANOS} when the clock is asked, never per call: so a call that starts 50 ms after the file was
 * replaced shows the new time. A file that becomes unreadable later keeps the last time read, with a warning in the
 * log. Thread-safe: any thread may ask; concurrent askers may both re-read, and either reading is the file's.
 */
public final class SimulationClock implements InstantSource {
    /** How stale the shown time may be after the file changed: a file read per 50 ms at most, whatever the call rate. */
    public static final long REREAD_NANOS = 50_000_000L;
    /** A time is a line of text; anything longer is not one (and is not read whole). */
    private static final int MAX_FILE_BYTES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(SimulationClock.class);

    /** A time read from the file and when (nanoTime) it was read. */
    private record Reading(long millis, long readAtNanos) {
    }

    private final Path file;
    private final LongSupplier nanoTime;
    private volatile Reading last;
    /** The last problem logged, so that a file unreadable for a while logs once, not per re-read. */
    private volatile String lastProblem = "";

    private SimulationClock(Path file, LongSupplier nanoTime, Reading first) {
        this.file = file;
        this.nanoTime = nanoTime;
        this.last = first;
    }

    /** Opens the clock on {@code file}; IllegalArgumentException naming the file when it is missing or unreadable. */
    public static SimulationClock open(Path file) {
        return open(file, System::nanoTime);
    }

    static SimulationClock open(Path file, LongSupplier nanoTime) {
        long now = nanoTime.getAsLong();
        try {
            return new SimulationClock(file, nanoTime, new Reading(read(file), now));
        } catch (IOException | IllegalArgumentException unreadable) {
            throw new IllegalArgumentException("simulation.clockFile " + file + ": " + unreadable.getMessage()
                    + " (it must hold the time as epoch milliseconds or an ISO-8601 instant)", unreadable);
        }
    }

    @Override
    public long millis() {
        Reading reading = last;
        long now = nanoTime.getAsLong();
        if (now - reading.readAtNanos() >= REREAD_NANOS) {
            reading = reread(reading, now);
        }
        return reading.millis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    private Reading reread(Reading previous, long now) {
        Reading reading;
        try {
            reading = new Reading(read(file), now);
            lastProblem = "";
        } catch (IOException | IllegalArgumentException unreadable) {
            String problem = unreadable.getMessage();
            if (!problem.equals(lastProblem)) {
                lastProblem = problem;
                LOG.warn("simulation.clockFile {} is unreadable ({}); the clock stays at {}", file, problem,
                        Instant.ofEpochMilli(previous.millis()));
            }
            reading = new Reading(previous.millis(), now);
        }
        last = reading;
        return reading;
    }

    /** The time in {@code file}: epoch milliseconds or an ISO-8601 instant (surrounding blanks ignored). */
    static long read(Path file) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (java.nio.file.NoSuchFileException missing) {
            throw new IOException("no such file");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("longer than " + MAX_FILE_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLong) {
                throw new IllegalArgumentException("'" + shortened(text) + "' is out of range");
            }
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException garbled) {
            throw new IllegalArgumentException("'" + shortened(text) + "' is not a time");
        }
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    @Override
    public String toString() {
        return "SimulationClock[" + file + "]";
    }
}
