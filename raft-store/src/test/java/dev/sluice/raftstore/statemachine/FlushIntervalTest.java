package dev.sluice.raftstore.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FlushIntervalTest {

    @Test
    void manySmallCommandsAreFlushedByTheirCount() {
        FlushInterval interval = new FlushInterval(100, 1_000_000);
        for (int entry = 1; entry < 10; entry++) {
            assertFalse(interval.applied(10, 50), "entry " + entry);
        }
        assertTrue(interval.applied(10, 50));
        assertFalse(interval.applied(10, 50), "counting starts again after a flush");
    }

    @Test
    void fewLargeEntriesAreFlushedByTheirBytesLongBeforeTheirCount() {
        FlushInterval interval = new FlushInterval(EngineStateMachine.FLUSH_EVERY_COMMANDS, EngineStateMachine.FLUSH_EVERY_BYTES);
        long entryBytes = 64 * 1024;
        int entries = 0;
        while (!interval.applied(10, entryBytes)) {
            entries++;
        }
        assertEquals(EngineStateMachine.FLUSH_EVERY_BYTES / entryBytes - 1, entries);
        assertTrue((entries + 1) * 10 < EngineStateMachine.FLUSH_EVERY_COMMANDS);
    }

    @Test
    void anIntervalOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FlushInterval(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FlushInterval(1, 0));
    }
}
