package dev.sluice.faasbridge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConcurrencyShareTest {

    private static int total(int maximum, List<String> bridges) {
        return bridges.stream().mapToInt(bridge -> ConcurrencyShare.of(maximum, bridges, bridge)).sum();
    }

    @Test
    void sharesAddUpToTheMaximumExactly() {
        List<String> three = List.of("a", "b", "c");
        for (int maximum = 2; maximum <= 20; maximum++) {
            assertEquals(maximum, total(maximum, three), "maximum " + maximum);
        }
        assertEquals(List.of(4, 3, 3), three.stream().map(bridge -> ConcurrencyShare.of(10, three, bridge)).toList());
    }

    @Test
    void moreBridgesThanTheMaximumLeaveSomeWithNone() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        assertEquals(List.of(1, 1, 0, 0, 0), five.stream().map(bridge -> ConcurrencyShare.of(2, five, bridge)).toList());
    }

    @Test
    void aLoneBridgeGetsEverything() {
        assertEquals(7, ConcurrencyShare.of(7, List.of("only"), "only"));
    }
}
