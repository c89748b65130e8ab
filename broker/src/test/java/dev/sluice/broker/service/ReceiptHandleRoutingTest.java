package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.core.ReceiptHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a receipt handle finds the data group of its message when a queue is spread over several. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReceiptHandleRoutingTest {
    private static final String HANDLE = new ReceiptHandle(7, 42, 99).encode();
    /** Partitions 2 and 3, draining 1, home 1 (a migration from 1 with partitions added). */
    private static final Placement SPREAD = new Placement(1, List.of(2, 3), List.of(1));

    @Test
    void aHandleWithoutAGroupGoesToTheHomeGroupAsIssued() {
        assertEquals(new PartitionedQueue.Routed(1, HANDLE, false), PartitionedQueue.route(SPREAD, 4, HANDLE));
    }

    @Test
    void aHandleNamingOneOfTheQueuesGroupsGoesThereWithoutItsPrefix() {
        assertEquals(new PartitionedQueue.Routed(3, HANDLE, false), PartitionedQueue.route(SPREAD, 4, "g3." + HANDLE));
        assertEquals(new PartitionedQueue.Routed(1, HANDLE, false), PartitionedQueue.route(SPREAD, 4, "g1." + HANDLE));
    }

    @Test
    void aWellFormedHandleOfAGroupTheQueueLeftHasExpired() {
        assertEquals(new PartitionedQueue.Routed(0, HANDLE, true), PartitionedQueue.route(SPREAD, 4, "g0." + HANDLE));
    }

    @Test
    void anythingElseGoesWholeToTheHomeGroupWhichAnswersThatItIsInvalid() {
        for (String garbage : List.of("g0.not-a-handle", "g-1." + HANDLE, "g4." + HANDLE, "g99." + HANDLE, "g99999999999." + HANDLE, "gx." + HANDLE, "g." + HANDLE,
                "g", "g3", "")) {
            assertEquals(new PartitionedQueue.Routed(1, garbage, false), PartitionedQueue.route(SPREAD, 4, garbage), garbage);
        }
    }

    /** A queue migrated from its home 1 to group 2: the home's handles (no prefix) were issued before it left. */
    private static final Placement MIGRATED = new Placement(1, List.of(2), List.of());

    @Test
    void aWellFormedHandleWithoutAGroupOfAQueueThatLeftItsHomeHasExpired() {
        assertEquals(new PartitionedQueue.Routed(1, HANDLE, true), PartitionedQueue.route(MIGRATED, 4, HANDLE));
    }

    @Test
    void anythingElseOfAQueueThatLeftItsHomeGoesToItsFirstPartitionWhichAnswersThatItIsInvalid() {
        for (String garbage : List.of("g0.not-a-handle", "g99." + HANDLE, "not-a-handle", "")) {
            assertEquals(new PartitionedQueue.Routed(2, garbage, false), PartitionedQueue.route(MIGRATED, 4, garbage), garbage);
        }
    }
}
