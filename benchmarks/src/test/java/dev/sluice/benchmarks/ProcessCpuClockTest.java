package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProcessCpuClockTest {

    /** A real line's shape, with utime 1234 and stime 567 as fields 14 and 15. */
    private static final String STAT = "4242 (java) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1234 567 0 0 20 0 41 0 "
            + "987654 9876543210 123456 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

    @Test
    void userAndSystemTicksAreAdded() {
        assertEquals(1_801, ProcessCpuClock.cpuTicks(STAT));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        assertEquals(1_801, ProcessCpuClock.cpuTicks(STAT.replace("(java)", "(my (odd) name)")));
    }

    @Test
    void ticksBecomeMillisecondsAtTheKernelsClockRate() {
        assertEquals(18_010, ProcessCpuClock.ticksToMillis(1_801, 100));
        assertEquals(7_204, ProcessCpuClock.ticksToMillis(1_801, 250));
    }

    @Test
    void aTruncatedLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ProcessCpuClock.cpuTicks("4242 (java) S 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpuClock.cpuTicks("no parentheses"));
    }

    @Test
    void thisJvmHasUsedSomeCpu() throws IOException {
        assertTrue(ProcessCpuClock.forPid(ProcessHandle.current().pid()).cpuMillis() > 0);
    }
}
