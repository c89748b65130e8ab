package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.SqsError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic's fanout in one apply ({@link QueueBook#fanOut}): the outbox message leaves and its copies are stored
 * together (an item with a copy for another group's queue is left to the receive loop), a replay stores nothing twice, refused copies come back as a remainder, and a
 * FIFO outbox never lets a group's later message overtake one left behind.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FanoutApplierTest {
    private static final String PREFIX = "arn:aws:sqs:us-east-1:000000000000:";

    private final TestGroup here = new TestGroup(TransferOutbox.MAX_PENDING);
    private final List<String> billed = new ArrayList<>();

    private static SendEntry entry(String body) {
        return new SendEntry("m0", body, null, Map.of(), null, null, null);
    }

    private static SendEntry fifoEntry(String body, String group) {
        return new SendEntry("m0", body, null, Map.of(), null, group, body + ":sub");
    }

    private static FanOutItem.Copy local(String subscription, String queue, SendEntry entry) {
        return new FanOutItem.Copy(subscription, PREFIX + queue, false, true, entry);
    }

    private List<FanOutItem.Outcome> fanOut(String outbox, List<FanOutItem> items) {
        return here.book.fanOut(outbox, items, here.stamp, entry -> billed.add(entry.body()));
    }

    private long publish(String outbox, String body, String group) {
        here.book.send(outbox, List.of(group == null ? entry(body) : fifoEntry(body, group)), here.stamp);
        List<PeekedMessage> peeked = here.peek(outbox);
        return peeked.get(peeked.size() - 1).seq();
    }

    @Test
    void localCopiesAreStoredAndTheOutboxMessageLeavesInTheSameApply() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("a", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("b", Map.of(), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);

        List<FanOutItem.Outcome> outcomes = fanOut("outbox", List.of(new FanOutItem(seq, 1, 0, List.of(
                local("sa", "a", entry("copy for a")), local("sb", "b", entry("copy for b"))))));

        assertEquals(FanOutItem.Status.TAKEN, outcomes.get(0).status());
        assertTrue(outcomes.get(0).copies().stream().allMatch(EntryOutcome::succeeded));
        assertEquals(List.of("copy for a"), here.bodies("a"));
        assertEquals(List.of("copy for b"), here.bodies("b"));
        assertTrue(here.peek("outbox").isEmpty(), "the outbox message left with its copies");
        assertEquals(List.of("copy for a", "copy for b"), billed, "each stored sqs copy is billed in the apply");
    }

    @Test
    void aReplayedOrRacingFanOutOfTheSameMessageStoresNothingTwice() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("a", Map.of(), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);
        List<FanOutItem> items = List.of(new FanOutItem(seq, 1, 0, List.of(local("sa", "a", entry("copy")))));

        fanOut("outbox", items);
        List<FanOutItem.Outcome> again = fanOut("outbox", items);

        assertEquals(FanOutItem.Status.SKIPPED, again.get(0).status());
        assertEquals(List.of("copy"), here.bodies("a"));
        assertEquals(List.of("copy"), billed, "billed once");
    }

    @Test
    void anOutboxMessageAnotherConsumerHoldsIsSkipped() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("a", Map.of(), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);
        assertEquals(1, here.book.receive("outbox", 1, 30, null, here.stamp).size());

        assertEquals(FanOutItem.Status.SKIPPED, fanOut("outbox", List.of(new FanOutItem(seq, 1, 0,
                List.of(local("sa", "a", entry("copy")))))).get(0).status());
        assertTrue(here.bodies("a").isEmpty());
    }

    /**
     * A copy for a queue in another group is never stored there by the fan-out (it would skip that queue's send rules:
     * its DelaySeconds, its MaximumMessageSize, its deletion before the copy arrived): the item is left whole, for the
     * fanout's receive loop to send with those rules, its retries and the subscription's dead-letter queue.
     */
    @Test
    void anItemWithACopyForAnotherGroupsQueueIsLeftWholeForTheReceiveLoop() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("a", Map.of(), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);

        List<FanOutItem.Outcome> outcomes = fanOut("outbox", List.of(new FanOutItem(seq, 1, 0, List.of(
                local("sa", "a", entry("copy")), new FanOutItem.Copy("sr", PREFIX + "remote", true, true,
                        entry("copy for remote"))))));

        assertEquals(FanOutItem.Status.LEFT, outcomes.get(0).status());
        assertEquals(List.of(PeekedMessage.State.VISIBLE), here.peek("outbox").stream().map(PeekedMessage::state)
                .toList(), "the outbox message stays, ready for the receive loop");
        assertTrue(here.bodies("a").isEmpty(), "nothing of a left item is stored");
        assertEquals(0, here.book.transfers().size(), "nothing leaves for the other group");
        assertTrue(billed.isEmpty());
    }

    /**
     * A subscriber's copy (billed: an sqs subscription's endpoint, chosen by the topic's owner) naming an internal queue
     * is refused as a missing queue, as a tenant's send is: a copy stored in another topic's outbox would be fanned out
     * as that topic's publish (InternalQueueAttackIT). An internal delivery queue's copy (not billed) is stored.
     */
    @Test
    void aSubscribersCopyForAnInternalQueueIsRefusedAsMissing() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        String victimOutbox = ReservedQueueNames.PREFIX + "topic-victim";
        String deliveries = ReservedQueueNames.PREFIX + "delivery-hook";
        here.book.createQueue(victimOutbox, Map.of(), Map.of(), here.stamp);
        here.book.createQueue(deliveries, Map.of(), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);

        List<FanOutItem.Outcome> outcomes = fanOut("outbox", List.of(new FanOutItem(seq, 1, 0, List.of(
                local("sforged", victimOutbox, entry("FORGED")),
                new FanOutItem.Copy("spush", PREFIX + deliveries, false, false, entry("for the webhook"))))));

        assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, outcomes.get(0).copies().get(0).failure().error());
        assertTrue(outcomes.get(0).copies().get(1).succeeded());
        assertTrue(here.peek(victimOutbox).isEmpty(), "nothing stored in another topic's outbox");
        assertEquals(List.of("for the webhook"), here.bodies(deliveries));
    }

    @Test
    void refusedCopiesComeBackAsOneRemainderNamingTheirSubscriptionsAfterTheRetryWait() {
        here.book.createQueue("outbox", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("a", Map.of(), Map.of(), here.stamp);
        here.book.createQueue("small", Map.of("MaximumMessageSize", "1024"), Map.of(), here.stamp);
        long seq = publish("outbox", "published", null);

        List<FanOutItem.Outcome> outcomes = fanOut("outbox", List.of(new FanOutItem(seq, 3, 20, List.of(
                local("sa", "a", entry("copy")), local("sgone", "gone", entry("copy")),
                local("ssmall", "small", entry("x".repeat(2_000)))))));

        List<EntryOutcome> copies = outcomes.get(0).copies();
        assertEquals(FanOutItem.Status.TAKEN, outcomes.get(0).status());
        assertTrue(copies.get(0).succeeded());
        assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, copies.get(1).failure().error());
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, copies.get(2).failure().error());
        assertEquals(List.of("copy"), here.bodies("a"));
        List<PeekedMessage> outbox = here.peek("outbox");
        assertEquals(1, outbox.size(), "the original left; one remainder came back");
        PeekedMessage remainder = outbox.get(0);
        assertEquals("published", remainder.message().body());
        assertEquals("3 sgone,ssmall", remainder.message().messageAttributes()
                .get(ReservedQueueNames.RETRY_FOR_ATTRIBUTE).stringValue());
        assertEquals(PeekedMessage.State.DELAYED, remainder.state());
        assertEquals(here.stamp.now + 20_000, remainder.visibleAtMillis());
        assertEquals(List.of("copy"), billed, "a refused copy is not billed");
    }

    @Test
    void aFifoOutboxKeepsAGroupWholeBehindAnItemItCannotStoreWhole() {
        here.book.createQueue("outbox.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        here.book.createQueue("a.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        long first = publish("outbox.fifo", "g1-first", "g1");
        long second = publish("outbox.fifo", "g1-second", "g1");
        long other = publish("outbox.fifo", "g2-only", "g2");

        List<FanOutItem.Outcome> outcomes = fanOut("outbox.fifo", List.of(
                new FanOutItem(first, 1, 0, List.of(local("sa", "a.fifo", fifoEntry("g1-first", "g1")),
                        local("sgone", "gone.fifo", fifoEntry("g1-first", "g1")))),
                new FanOutItem(second, 1, 0, List.of(local("sa", "a.fifo", fifoEntry("g1-second", "g1")))),
                new FanOutItem(other, 1, 0, List.of(local("sa", "a.fifo", fifoEntry("g2-only", "g2"))))));

        assertEquals(List.of(FanOutItem.Status.LEFT, FanOutItem.Status.LEFT, FanOutItem.Status.TAKEN),
                outcomes.stream().map(FanOutItem.Outcome::status).toList());
        assertEquals(List.of("g2-only"), here.bodies("a.fifo"), "nothing of group g1 was stored, not even in part");
        assertEquals(List.of("g1-first", "g1-second"), here.peek("outbox.fifo").stream()
                .map(peeked -> peeked.message().body()).toList());
    }

    @Test
    void aFifoOutboxMessageBehindAnotherOfItsGroupIsNotTakenFirst() {
        here.book.createQueue("outbox.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        here.book.createQueue("a.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        publish("outbox.fifo", "g1-first", "g1");
        long second = publish("outbox.fifo", "g1-second", "g1");

        List<FanOutItem.Outcome> outcomes = fanOut("outbox.fifo", List.of(new FanOutItem(second, 1, 0,
                List.of(local("sa", "a.fifo", fifoEntry("g1-second", "g1"))))));

        assertEquals(FanOutItem.Status.SKIPPED, outcomes.get(0).status());
        assertTrue(here.bodies("a.fifo").isEmpty());
    }

    @Test
    void aFifoCopyStoredBeforeIsADuplicateAndBilledOnce() {
        here.book.createQueue("outbox.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        here.book.createQueue("a.fifo", Map.of("FifoQueue", "true"), Map.of(), here.stamp);
        here.book.send("a.fifo", List.of(fifoEntry("g1-first", "g1")), here.stamp);
        long seq = publish("outbox.fifo", "g1-first", "g1");

        List<FanOutItem.Outcome> outcomes = fanOut("outbox.fifo", List.of(new FanOutItem(seq, 1, 0,
                List.of(local("sa", "a.fifo", fifoEntry("g1-first", "g1"))))));

        assertTrue(outcomes.get(0).copies().get(0).succeeded());
        assertEquals(List.of("g1-first"), here.bodies("a.fifo"));
        assertTrue(billed.isEmpty(), "a duplicate stores nothing and bills nothing");
        assertFalse(here.peek("outbox.fifo").stream().anyMatch(p -> p.seq() == seq));
        assertNull(here.book.readMessage(here.book.require("outbox.fifo"), seq));
    }
}
