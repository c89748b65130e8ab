package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Timeout;

/**
 * A standard queue's index, whose never-received messages sent without a delay live in the compact
 * {@link PlainBacklog}, answers every question exactly as a plain reference model where every message is one record
 * with a place, over random runs of sends (plain, delayed, dead letters), receives, deletes, visibility changes, the
 * passing of time, purges and rebuilds from the stored state (a restart). Properties run under jqwik's engine (the
 * {@code @Timeout} is for the JUnit engine's view of the class).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueIndexModelTest {

    /** One step of a run: {@code kind} picks the operation, {@code a} and {@code b} are its small arguments. */
    record Step(int kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, Arbitraries.just(0)), net.jqwik.api.Tuple.of(2, Arbitraries.just(1)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(2)), net.jqwik.api.Tuple.of(6, Arbitraries.just(3)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(4)), net.jqwik.api.Tuple.of(2, Arbitraries.just(5)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(6)), net.jqwik.api.Tuple.of(1, Arbitraries.just(7)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(8)), net.jqwik.api.Tuple.of(1, Arbitraries.just(9))),
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, 12)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(150);
    }

    @Example
    void aStandardQueuesPlainBacklogHoldsNoObjectPerMessage() {
        QueueIndex index = new QueueIndex(false);
        for (long seq = 1; seq <= 10_000; seq++) {
            index.add(new MessageMeta(seq, 500, 500, 0, 0, 0, 100), null, 1_000);
        }
        index.add(new MessageMeta(10_001, 900, 2_000, 0, 0, 0, 100), null, 1_000); // delayed
        index.add(new MessageMeta(10_002, 900, 900, 0, 0, 0, 100), "tenant", 1_000); // grouped
        assertEquals(10_000, index.plainCount());
        assertEquals(10_002, index.size());
        MessageMeta first = index.nextReceivable(null);
        index.receive(first, 1_000, 31_000, 1);
        assertEquals(9_999, index.plainCount(), "a received message gets its own object");
        assertEquals(1, index.get(1).receiveCount());
    }

    @Example
    void aRestoredPlainBacklogIsReceivableBeforeAnyPromotion() {
        QueueIndex index = new QueueIndex(false);
        index.restore(new MessageMeta(1, 500, 500, 0, 0, 0, 100), null, Long.MIN_VALUE);
        index.restore(new MessageMeta(2, 500, 900, 0, 0, 0, 100), null, Long.MIN_VALUE); // sent with a delay
        index.restore(new MessageMeta(3, 500, 500, 1, 600, 9, 100), null, Long.MIN_VALUE); // received once
        assertEquals(1, index.plainCount());
        assertEquals(1, index.receivableCount(), "only the plain message is known to be ready without the leader's time");
        assertEquals(1, index.nextReceivable(null).seq());
        index.promote(1_000);
        assertEquals(3, index.receivableCount());
    }

    @Example
    void aQuietTenantsMessageAndPlainOnesAreTakenInSendOrderPastANoisyTenant() {
        QueueIndex index = new QueueIndex(false);
        long seq = 1;
        for (int i = 0; i < MessageGroups.NOISY_MIN_IN_FLIGHT + 1; i++) {
            index.add(new MessageMeta(seq++, 0, 0, 0, 0, 0, 100), "noisy", 1_000);
        }
        for (int i = 0; i < MessageGroups.NOISY_MIN_IN_FLIGHT; i++) {
            index.receive(index.nextReceivable(null), 1_000, 60_000, i + 1);
        }
        long noisyReady = seq - 1;
        long plain = seq++;
        index.add(new MessageMeta(plain, 0, 0, 0, 0, 0, 100), null, 1_000);
        long quiet = seq++;
        index.add(new MessageMeta(quiet, 0, 0, 0, 0, 0, 100), "quiet", 1_000);
        assertEquals(1, index.plainCount());
        MessageMeta next = index.nextReceivable(null);
        assertEquals(plain, next.seq(), "the noisy tenant's older message " + noisyReady + " is passed over");
        index.receive(next, 1_000, 60_000, 100);
        assertEquals(quiet, index.nextReceivable(null).seq());
    }

    @Property(tries = 150)
    void theCompactIndexAnswersAsTheReferenceModel(@ForAll("runs") List<Step> run) {
        Run state = new Run();
        for (Step step : run) {
            state.apply(step);
            state.compare();
        }
    }

    /** The reference: every message a record with its place, and the index's rules written plainly. */
    private static final class Reference {
        enum Place { READY, IN_FLIGHT, DELAYED }

        static final class Message {
            final long seq;
            final long retainedSince;
            long visibleAt;
            int receiveCount;
            Place place;

            Message(long seq, long retainedSince, long visibleAt, int receiveCount, Place place) {
                this.seq = seq;
                this.retainedSince = retainedSince;
                this.visibleAt = visibleAt;
                this.receiveCount = receiveCount;
                this.place = place;
            }
        }

        final TreeMap<Long, Message> messages = new TreeMap<>();

        void add(long seq, long retainedSince, long visibleAt, long now) {
            messages.put(seq, new Message(seq, retainedSince, visibleAt, 0, visibleAt <= now ? Place.READY : Place.DELAYED));
        }

        void promote(long now) {
            messages.values().stream().filter(m -> m.place != Place.READY && m.visibleAt <= now).forEach(m -> m.place = Place.READY);
        }

        Message next() {
            return messages.values().stream().filter(m -> m.place == Place.READY).findFirst().orElse(null);
        }

        int visible(long now) {
            return (int) messages.values().stream().filter(m -> m.place == Place.READY || m.visibleAt <= now).count();
        }

        int hidden(Place place, long now) {
            return (int) messages.values().stream().filter(m -> m.place == place && m.visibleAt > now).count();
        }

        /** After a restart: never-received messages visible since their retention started are ready, the rest wait for a promotion. */
        void restart() {
            for (Message m : messages.values()) {
                boolean plain = m.receiveCount == 0 && m.visibleAt == m.retainedSince;
                m.place = plain ? Place.READY : m.receiveCount == 0 ? Place.DELAYED : Place.IN_FLIGHT;
            }
        }
    }

    private static final class Run {
        QueueIndex index = new QueueIndex(false);
        final Reference reference = new Reference();
        long now = 1_000;
        long nextSeq = 1;
        long nonce;

        void apply(Step step) {
            switch (step.kind()) {
                case 0 -> send(now, now);
                case 1 -> send(now, now + 1 + step.a());
                case 2 -> send(now - 1 - step.a(), now);
                case 3 -> receive(step.b(), step.a() % 4 == 0 ? 0 : step.a());
                case 4 -> delete(step.a());
                case 5 -> changeVisibility(step.a(), step.b() % 3 == 0 ? 0 : step.b());
                case 6 -> now += step.a();
                case 7 -> purge();
                case 8 -> restart();
                case 9 -> assertArrayEquals(reference.messages.keySet().stream().limit(step.b()).mapToLong(Long::longValue).toArray(),
                        index.oldest(step.b()).stream().mapToLong(MessageMeta::seq).toArray());
                default -> throw new IllegalArgumentException("kind " + step.kind());
            }
        }

        void send(long retainedSince, long visibleAt) {
            long seq = nextSeq;
            nextSeq += 1 + (seq % 3); // sequence numbers of one queue grow with gaps (other queues share the group)
            index.add(new MessageMeta(seq, retainedSince, visibleAt, 0, 0, 0, 100), null, now);
            reference.add(seq, retainedSince, visibleAt, now);
        }

        void receive(int max, int timeout) {
            index.promote(now);
            reference.promote(now);
            for (int i = 0; i < max; i++) {
                Reference.Message expected = reference.next();
                MessageMeta meta = index.nextReceivable(null);
                if (expected == null) {
                    assertNull(meta);
                    return;
                }
                assertNotNull(meta);
                assertEquals(expected.seq, meta.seq());
                assertEquals(expected.retainedSince, meta.retainedSinceMillis());
                assertEquals(expected.receiveCount, meta.receiveCount());
                index.receive(meta, now, now + timeout, ++nonce);
                expected.receiveCount++;
                expected.visibleAt = now + timeout;
                expected.place = Reference.Place.IN_FLIGHT;
                assertEquals(expected.receiveCount, index.get(expected.seq).receiveCount());
            }
        }

        Long pick(int a) {
            if (reference.messages.isEmpty()) {
                return null;
            }
            List<Long> seqs = new ArrayList<>(reference.messages.keySet());
            return seqs.get(a % seqs.size());
        }

        void delete(int a) {
            Long seq = pick(a);
            if (seq == null) {
                assertNull(index.get(nextSeq));
                return;
            }
            MessageMeta meta = index.get(seq);
            assertNotNull(meta);
            assertEquals(reference.messages.get(seq).receiveCount, meta.receiveCount());
            index.remove(meta);
            reference.messages.remove(seq);
            assertNull(index.get(seq));
        }

        void changeVisibility(int a, int timeout) {
            Long seq = pick(a);
            if (seq == null) {
                return;
            }
            index.promote(now);
            reference.promote(now);
            MessageMeta meta = index.get(seq);
            Reference.Message expected = reference.messages.get(seq);
            assertEquals(expected.place == Reference.Place.IN_FLIGHT, index.isInFlight(meta));
            if (index.isInFlight(meta)) {
                index.changeVisibility(meta, now, now + timeout);
                expected.visibleAt = now + timeout;
                expected.place = timeout == 0 ? Reference.Place.READY : Reference.Place.IN_FLIGHT;
            }
        }

        void purge() {
            List<Long> removed = new ArrayList<>();
            index.clear(removed::add);
            removed.sort(null);
            assertEquals(new ArrayList<>(reference.messages.keySet()), removed);
            reference.messages.clear();
        }

        /** Rebuilds the index from what storage holds (each message's fields), as recovery does. */
        void restart() {
            QueueIndex rebuilt = new QueueIndex(false);
            for (Reference.Message m : reference.messages.values()) {
                rebuilt.restore(new MessageMeta(m.seq, m.retainedSince, m.visibleAt, m.receiveCount, m.receiveCount == 0 ? 0 : 1,
                        m.receiveCount == 0 ? 0 : 7, 100), null, Long.MIN_VALUE);
            }
            index = rebuilt;
            reference.restart();
        }

        void compare() {
            assertEquals(reference.messages.size(), index.size());
            assertEquals(reference.visible(now), index.visibleCount(now));
            assertEquals(reference.hidden(Reference.Place.IN_FLIGHT, now), index.inFlightCount(now));
            assertEquals(reference.hidden(Reference.Place.DELAYED, now), index.delayedCount(now));
            assertEquals(reference.messages.values().stream().filter(m -> m.place == Reference.Place.READY).count(),
                    index.receivableCount());
            assertEquals(reference.messages.isEmpty() ? -1 : reference.messages.firstEntry().getValue().retainedSince,
                    index.oldestRetainedSinceMillis());
            assertArrayEquals(reference.messages.keySet().stream().mapToLong(Long::longValue).toArray(), index.allSeqsSorted());
            long nextHidden = reference.messages.values().stream().filter(m -> m.place != Reference.Place.READY)
                    .mapToLong(m -> m.visibleAt).min().orElse(Long.MAX_VALUE);
            assertEquals(nextHidden, index.nextVisibleAtMillis());
        }
    }
}
