package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MachineCpuClockTest {

    @Test
    void busyTimeIsEverythingButIdleAndIoWait() {
        String stat = "cpu  75432 10 8900 98760 214 5 278 62 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
        assertEquals(75_432 + 10 + 8_900 + 5 + 278 + 62, MachineCpuClock.busyTicks(stat));
    }

    @Test
    void aFileWithoutTheAggregateCpuLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MachineCpuClock.busyTicks("cpu0 1 2 3 4 5 6 7 8 9 10"));
        assertThrows(IllegalArgumentException.class, () -> MachineCpuClock.busyTicks(""));
    }

    @Test
    void thisMachineHasBeenBusySinceBoot() throws IOException {
        assertTrue(MachineCpuClock.system().busyMillis() > 0);
    }
}
