package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The total-queue checker on small hand-made histories: each kind of violation is found, clean histories pass. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueHistoryTest {
    private final QueueHistory history = new QueueHistory();
    /** When the last receive was invoked: the one whose handles {@link #delete} uses. */
    private long lastReceive;

    private TrackedBody send(String queue, TrackedBody body) {
        history.attempted(queue, body);
        history.acknowledged(queue, body, false);
        return body;
    }

    private void receive(String queue, TrackedBody... bodies) {
        receive(queue, history.tick(), bodies);
    }

    private void receive(String queue, long invokedAt, TrackedBody... bodies) {
        List<QueueHistory.Delivery> deliveries = new ArrayList<>();
        for (TrackedBody body : bodies) {
            deliveries.add(new QueueHistory.Delivery(body.encode(), "m-" + body.id()));
        }
        history.delivered(queue, invokedAt, deliveries);
        lastReceive = invokedAt;
    }

    private void delete(String queue, TrackedBody... bodies) {
        for (TrackedBody body : bodies) {
            history.deleteAcknowledged(queue, body.id(), "m-" + body.id(), lastReceive);
        }
    }

    private static TrackedBody[] fifoGroup(String group, int count) {
        TrackedBody[] bodies = new TrackedBody[count];
        for (int i = 0; i < count; i++) {
            bodies[i] = TrackedBody.fifo(group + "-" + i, group, i);
        }
        return bodies;
    }

    @Test
    void twoProducersNumberingOneFifoGroupAreRefusedAsABrokenWorkload() {
        history.attempted("q.fifo", TrackedBody.fifo("p0-0", "g0", 0));
        history.attempted("q.fifo", TrackedBody.fifo("p0-0", "g0", 0));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> history.attempted("q.fifo", TrackedBody.fifo("p1-0", "g0", 0)));
        assertTrue(refused.getMessage().contains("p0-0") && refused.getMessage().contains("p1-0"), refused.getMessage());
        history.attempted("other.fifo", TrackedBody.fifo("p1-0", "g0", 0));
    }

    @Test
    void aCleanStandardHistoryWithDuplicatesPasses() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        TrackedBody b = send("q", TrackedBody.standard("b"));
        history.attempted("q", TrackedBody.standard("unanswered"));
        receive("q", b, a);
        receive("q", a);
        delete("q", a, b);

        QueueHistory.Report report = history.check();
        assertTrue(report.valid(), report.toString());
        assertEquals(1, report.duplicates());
        assertEquals(2, report.delivered());
    }

    @Test
    void anAcknowledgedSendNeverDeliveredIsLost() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        send("q", TrackedBody.standard("b"));
        receive("q", a);

        QueueHistory.Report report = history.check();
        assertFalse(report.valid());
        assertEquals(List.of("q: b"), report.lost());
    }

    @Test
    void anUnansweredSendNeverDeliveredIsNotLost() {
        history.attempted("q", TrackedBody.standard("maybe"));
        assertTrue(history.check().valid());
    }

    @Test
    void aDeliveryByAReceiveInvokedAfterTheDeleteWasAcknowledgedIsAResurrection() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        receive("q", a);
        delete("q", a);
        receive("q", a);

        QueueHistory.Report report = history.check();
        assertEquals(List.of("q: a (deleted at 3, received at [1, 4])"), report.resurrected());
    }

    @Test
    void aCopyTheServiceMadeDeliveredAfterTheDeleteIsAResurrection() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        receive("q", a);
        delete("q", a);
        history.delivered("q", history.tick(), List.of(new QueueHistory.Delivery(a.encode(), "moved-copy")));

        assertEquals(List.of("q: a (a copy the service made: moved-copy)"), history.check().resurrected());
    }

    @Test
    void aCopyStoredByARetriedSendMayBeDeliveredAfterTheOtherCopysDelete() {
        TrackedBody a = TrackedBody.standard("a");
        history.attempted("q", a);
        history.acknowledged("q", a, true);
        long first = history.tick();
        history.delivered("q", first, List.of(new QueueHistory.Delivery(a.encode(), "first")));
        history.deleteAcknowledged("q", "a", "first", first);
        long second = history.tick();
        history.delivered("q", second, List.of(new QueueHistory.Delivery(a.encode(), "second")));
        history.deleteAcknowledged("q", "a", "second", second);

        QueueHistory.Report report = history.check();
        assertTrue(report.valid(), report.toString());
        assertEquals(1, report.copiesAfterDelete());
        assertEquals(0, report.serviceCopies());
    }

    @Test
    void aDeleteAnsweredAfterTheMessageWasReceivedAgainMayLeaveItToComeBack() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        long firstReceive = history.tick();
        receive("q", firstReceive, a);
        receive("q", a); // its visibility ran out before the first receiver's delete arrived; this receiver abandons it
        history.deleteAcknowledged("q", a.id(), "m-" + a.id(), firstReceive); // a stale handle: SQS answers success
        receive("q", a);

        QueueHistory.Report report = history.check();
        assertTrue(report.valid(), report.toString());
        assertEquals(1, report.staleDeletes());
    }

    @Test
    void aReceiveInvokedBeforeTheDeleteWasAcknowledgedMayStillReturnTheMessage() {
        TrackedBody a = send("q", TrackedBody.standard("a"));
        receive("q", a);
        long concurrentReceive = history.tick();
        delete("q", a);
        receive("q", concurrentReceive, a);

        assertTrue(history.check().valid(), history.check().toString());
    }

    @Test
    void aBodyNoProducerSentIsUnexpected() {
        receive("q", TrackedBody.standard("ghost"));
        history.delivered("q", history.tick(), List.of(new QueueHistory.Delivery("not tracked at all", "m")));

        assertEquals(List.of("q: ghost", "q: not tracked at all"), history.check().unexpected());
    }

    @Test
    void aFifoGroupDeliveredInSendOrderWithARedeliveryFromTheOldestUndeletedPasses() {
        TrackedBody[] g = fifoGroup("g", 6);
        TrackedBody[] h = fifoGroup("h", 2);
        for (int i = 0; i < 6; i++) {
            send("q.fifo", g[i]);
        }
        send("q.fifo", h[0]);
        send("q.fifo", h[1]);
        receive("q.fifo", g[0], g[1], h[0], g[2]);
        delete("q.fifo", g[0], h[0]);
        // g-1 and g-2 were not deleted: their visibility ran out, so the group starts again from g-1.
        receive("q.fifo", h[1], g[1], g[2], g[3]);
        delete("q.fifo", g[1], g[2], g[3], h[1]);
        receive("q.fifo", g[4]);
        receive("q.fifo", g[4], g[5]);
        delete("q.fifo", g[4], g[5]);

        QueueHistory.Report report = history.check();
        assertTrue(report.valid(), report.toString());
        assertEquals(3, report.duplicates());
    }

    @Test
    void aFifoMessageDeliveredBeforeAnOlderOneOfItsGroupIsOutOfOrder() {
        TrackedBody[] g = fifoGroup("g", 3);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        receive("q.fifo", g[0]);
        receive("q.fifo", g[2]);
        receive("q.fifo", g[1]);

        List<String> violations = history.check().fifoOrder();
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("skipped 1"), violations.toString());
        assertTrue(violations.get(1).contains("went back"), violations.toString());
    }

    @Test
    void aFifoBatchThatLeavesOutAMessageInTheMiddleIsOutOfOrder() {
        TrackedBody[] g = fifoGroup("g", 3);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        receive("q.fifo", g[0], g[2]);

        assertEquals(1, history.check().fifoOrder().size());
        assertEquals(List.of("q.fifo: g-1"), history.check().lost());
    }

    @Test
    void aFifoRedeliveryOfAMessageOlderThanTheGroupsHeadIsOutOfOrder() {
        TrackedBody[] g = fifoGroup("g", 3);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        receive("q.fifo", g[0]);
        receive("q.fifo", g[1]);
        receive("q.fifo", g[0], g[1], g[2]);

        List<String> violations = history.check().fifoOrder();
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("went back before 1"), violations.toString());
    }

    @Test
    void anUnansweredFifoSendThatWasStoredTakesItsPlaceInTheOrder() {
        TrackedBody[] g = fifoGroup("g", 3);
        send("q.fifo", g[0]);
        history.attempted("q.fifo", g[1]);
        send("q.fifo", g[2]);
        receive("q.fifo", g[0], g[2]);
        receive("q.fifo", g[1]);

        assertFalse(history.check().fifoOrder().isEmpty(), "g-1 was stored, so it came between g-0 and g-2");
    }

    @Test
    void aFifoMessageDeliveredUnderTwoMessageIdsWasStoredTwice() {
        TrackedBody first = send("q.fifo", TrackedBody.fifo("once", "g", 0));
        receive("q.fifo", first);
        history.delivered("q.fifo", history.tick(), List.of(new QueueHistory.Delivery(first.encode(), "another-id")));
        TrackedBody standard = send("q", TrackedBody.standard("twice-is-fine"));
        receive("q", standard);
        history.delivered("q", history.tick(), List.of(new QueueHistory.Delivery(standard.encode(), "another-id")));

        QueueHistory.Report report = history.check();
        assertEquals(1, report.fifoCopies().size(), report.toString());
        assertEquals(1, report.standardCopies());
    }

    @Test
    void aMessageDeliveredFromAnotherQueueThanItWasSentToIsNotLost() {
        TrackedBody moved = send("source", TrackedBody.standard("moved"));
        receive("dead-letters", moved);
        assertTrue(history.check().valid());
    }

    @Test
    void aFifoMessageDeadLetteredUnseenMayBePassedOverInItsSource() {
        history.mayLeave("q.fifo", "dead.fifo");
        TrackedBody[] g = fifoGroup("g", 5);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        // g-1's receive answer was lost, then it dead-lettered; g-3 dead-lettered in the middle of a receive.
        receive("q.fifo", g[0]);
        receive("q.fifo", g[2], g[4]);
        receive("dead.fifo", g[1], g[3]);
        assertTrue(history.check().valid(), history.check().toString());
    }

    @Test
    void deadLettersOutOfTheirGroupsOrderInAFifoDeadLetterQueueAreOutOfOrder() {
        history.mayLeave("q.fifo", "dead.fifo");
        TrackedBody[] g = fifoGroup("g", 3);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        receive("q.fifo", g[0]);
        receive("dead.fifo", g[2]);
        receive("dead.fifo", g[1]);
        List<String> violations = history.check().fifoOrder();
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).startsWith("dead.fifo") && violations.get(0).contains("skipped 1"), violations.toString());
        assertTrue(violations.get(1).contains("went back"), violations.toString());
    }

    @Test
    void aFifoMessagePassedOverInAQueueWithoutADeadLetterQueueIsStillSkipped() {
        history.mayLeave("other.fifo", "dead.fifo");
        TrackedBody[] g = fifoGroup("g", 3);
        for (TrackedBody body : g) {
            send("q.fifo", body);
        }
        receive("q.fifo", g[0], g[2]);
        receive("dead.fifo", g[1]);
        assertEquals(1, history.check().fifoOrder().size());
    }

    @Test
    void trackedBodiesRoundTrip() {
        assertEquals(TrackedBody.fifo("p1-7", "q3/g2", 7), TrackedBody.parse(TrackedBody.fifo("p1-7", "q3/g2", 7).encode()));
        assertEquals(TrackedBody.standard("p1-7"), TrackedBody.parse("p1-7"));
    }
}
