package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ByteHoursTest {
    private static final long HOUR = ByteHours.MILLIS_PER_HOUR;
    private static final long MINUTE = 60_000;
    /** 2030-01-01T10:00:00Z, on the hour. */
    private static final long TEN = 1_893_492_000_000L;

    private final Map<Long, Long> hours = new TreeMap<>();

    private long accrue(long bytes, long from, long to, long carry) {
        return ByteHours.accrue(bytes, from, to, carry, (hour, byteHours) -> hours.merge(hour, byteHours, Long::sum));
    }

    @Test
    void aSpanAcrossAnHourBoundaryIsSplitAtTheHour() {
        // 1,200 bytes from 10:30 to 11:15: 30 minutes in hour 10 (600 byte-hours), 15 in hour 11 (300).
        long carry = accrue(1_200, TEN + 30 * MINUTE, TEN + HOUR + 15 * MINUTE, 0);
        assertEquals(0, carry);
        assertEquals(Map.of(TEN, 600L, TEN + HOUR, 300L), hours);
    }

    @Test
    void aSpanOfManyHoursFillsEachHourInBetween() {
        long carry = accrue(10, TEN + 59 * MINUTE, TEN + 3 * HOUR + MINUTE, 0);
        // 1 minute x 10 bytes = 600,000 byte-ms is carried through hours 11 and 12 (10 byte-hours each) into 13.
        assertEquals(Map.of(TEN + HOUR, 10L, TEN + 2 * HOUR, 10L), hours);
        assertEquals(10 * MINUTE + 10 * MINUTE, carry);
    }

    @Test
    void byteMillisecondsBelowAByteHourAreCarriedNeverLost() {
        // 7 bytes for 1 second, 3,000 times over: 21,000,000 byte-ms = 5 byte-hours and 3,000,000 byte-ms.
        long carry = 0;
        for (int i = 0; i < 3_000; i++) {
            carry = accrue(7, TEN + i * 1_000L, TEN + (i + 1) * 1_000L, carry);
        }
        assertEquals(Map.of(TEN, 5L), hours);
        assertEquals(3_000_000L, carry);
    }

    @Test
    void theCarryCompletesAByteHourInTheNextHour() {
        long carry = accrue(1, TEN, TEN + HOUR - 1, 0);
        assertEquals(Map.of(), hours);
        assertEquals(HOUR - 1, carry);
        carry = accrue(1, TEN + HOUR - 1, TEN + HOUR + 1, carry);
        // The last millisecond of hour 10 completes the first byte-hour; hour 11's first millisecond is carried.
        assertEquals(Map.of(TEN, 1L), hours);
        assertEquals(1, carry);
    }

    @Test
    void hugeQueuesHeldForLongDoNotOverflow() {
        long bytes = 4L << 40; // 4 TiB: bytes x one hour's milliseconds is past Long.MAX_VALUE
        long carry = accrue(bytes, TEN, TEN + 2 * HOUR, 0);
        assertEquals(Map.of(TEN, bytes, TEN + HOUR, bytes), hours);
        assertEquals(0, carry);
    }

    @Test
    void nothingStoredOrNoTimeAccruesNothing() {
        assertEquals(123, accrue(0, TEN, TEN + HOUR, 123));
        assertEquals(123, accrue(5, TEN + HOUR, TEN, 123));
        assertEquals(123, accrue(5, TEN, TEN, 123));
        assertEquals(Map.of(), hours);
    }

    @Test
    void splittingASpanAnywhereGivesTheSameTotal() {
        long bytes = 1_234_567;
        long from = TEN + 17 * MINUTE + 3;
        long to = TEN + 5 * HOUR + 41 * MINUTE + 999;
        long whole = accrue(bytes, from, to, 0);
        long total = hours.values().stream().mapToLong(Long::longValue).sum();
        hours.clear();
        long carry = 0;
        for (long at = from; at < to; at += 7_777_777) {
            carry = accrue(bytes, at, Math.min(to, at + 7_777_777), carry);
        }
        assertEquals(whole, carry);
        assertEquals(total, hours.values().stream().mapToLong(Long::longValue).sum());
        assertEquals((bytes * (to - from)) / HOUR, total);
    }
}
