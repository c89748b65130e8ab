package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fan-out's items cut into commands within the proposal limit ({@link FanOutBatches}). */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class FanOutBatchesTest {
    @Test
    void itemsThatFitTogetherGoInOneCommand() {
        assertEquals(List.of(List.of(0, 1, 2)), FanOutBatches.split(List.of(10, 10, 10), 5, 100, false));
    }

    @Test
    void itemsThatDoNotFitTogetherAreCutInOrderIntoCommandsEachWithinTheLimit() {
        assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)),
                FanOutBatches.split(List.of(40, 40, 40, 40, 40), 10, 100, false));
    }

    @Test
    void anItemTooLargeAloneIsLeftOutWithEveryLaterItem() {
        assertEquals(List.of(List.of(0)), FanOutBatches.split(List.of(40, 95, 10), 10, 100, false));
        assertEquals(List.of(), FanOutBatches.split(List.of(91), 10, 100, false));
    }

    @Test
    void aFifoOutboxProposesOnlyItsFirstCommand() {
        assertEquals(List.of(List.of(0, 1)), FanOutBatches.split(List.of(40, 40, 40), 10, 100, true));
    }
}
