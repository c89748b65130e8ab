package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SimulationClockTest {
    private static final long HALF_PAST_TEN = Instant.parse("2030-01-01T10:30:00Z").toEpochMilli();
    private static final long MILLISECOND_NANOS = 1_000_000L;

    @TempDir
    Path directory;

    private final AtomicLong nanos = new AtomicLong(5_000 * MILLISECOND_NANOS);

    @Test
    void showsTheTimeInTheFileAsEpochMillisecondsOrAnIsoInstant() throws IOException {
        Path file = write(" " + HALF_PAST_TEN + "\n");
        assertEquals(HALF_PAST_TEN, SimulationClock.open(file, nanos::get).millis());
        write("2030-01-01T10:30:00Z");
        assertEquals(Instant.ofEpochMilli(HALF_PAST_TEN), SimulationClock.open(file, nanos::get).instant());
    }

    @Test
    void standsStillAndShowsAMoveWithinFiftyMillisecondsWithoutReadingTheFilePerCall() throws IOException {
        Path file = write(String.valueOf(HALF_PAST_TEN));
        SimulationClock clock = SimulationClock.open(file, nanos::get);
        write(String.valueOf(HALF_PAST_TEN + 900_000));
        nanos.addAndGet(49 * MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN, clock.millis(), "not re-read within 50 ms");
        nanos.addAndGet(MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN + 900_000, clock.millis(), "re-read once 50 ms passed");
        nanos.addAndGet(3_600_000 * MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN + 900_000, clock.millis(), "the clock stands still while the file does");
    }

    @Test
    void aMissingEmptyOrGarbledFileIsRefusedAtOpenNamingTheFile() throws IOException {
        Path missing = directory.resolve("absent");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SimulationClock.open(missing));
        assertTrue(refused.getMessage().contains(missing.toString()) && refused.getMessage().contains("no such file"),
                refused.getMessage());
        for (String garbled : new String[] {"", "half past ten", "2030-01-01 10:30", "99999999999999999999999", "x".repeat(100)}) {
            Path file = write(garbled);
            IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class, () -> SimulationClock.open(file),
                    garbled);
            assertTrue(unreadable.getMessage().startsWith("simulation.clockFile " + file), unreadable.getMessage());
        }
    }

    @Test
    void aFileThatBecomesUnreadableKeepsTheLastTime() throws IOException {
        Path file = write(String.valueOf(HALF_PAST_TEN));
        SimulationClock clock = SimulationClock.open(file, nanos::get);
        write("garbled");
        nanos.addAndGet(100 * MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN, clock.millis());
        Files.delete(file);
        nanos.addAndGet(100 * MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN, clock.millis());
        write(String.valueOf(HALF_PAST_TEN + 1));
        nanos.addAndGet(100 * MILLISECOND_NANOS);
        assertEquals(HALF_PAST_TEN + 1, clock.millis());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(directory.resolve("clock"), text);
    }
}
