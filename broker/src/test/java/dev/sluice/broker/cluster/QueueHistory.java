package dev.sluice.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The history of a run against queues, and its check, in the spirit of Jepsen's total-queue checker: clients record
 * what they did and what the service answered; {@link #check()} then says whether some order of events could explain
 * the answers under SQS's promises. Thread-safe: any number of producers and consumers record into one history.
 *
 * <p>What clients record, each stamped with a tick of one logical clock (so "after" means real-time order):
 * <ul>
 *   <li>{@link #attempted} before a send and {@link #acknowledged} when the service answered it (an attempt without an
 *       answer may or may not be stored; both are fine);</li>
 *   <li>{@link #delivered}: a receive's messages, with the tick taken just before the receive was invoked
 *       ({@link #tick()}) and a tick at completion;</li>
 *   <li>{@link #deleteAcknowledged} when a delete of a message was answered.</li>
 * </ul>
 * Message ids are unique across the whole run, not per queue, so a message that moves (redrive, move task,
 * migration) is still the same message wherever it is delivered.
 *
 * <p>What {@link #check()} reports:
 * <ul>
 *   <li><b>lost</b>: acknowledged sends never delivered;</li>
 *   <li><b>resurrected</b>: deliveries, by a receive invoked after the delete was acknowledged, of the deleted
 *       message itself (same message id), or of a copy the service made (another message id, though the send went
 *       out in one attempt: a move's extra copy). A copy a retried send stored is another message: its delivery after
 *       the first copy's delete is only counted. A delete answered after the message was received again (its
 *       visibility ran out first) used a stale handle, which SQS answers with success without deleting: it is counted
 *       ({@code staleDeletes}) and the message may come back;</li>
 *   <li><b>unexpected</b>: deliveries of bodies no producer attempted;</li>
 *   <li><b>FIFO order</b> (see {@link FifoOrderCheck}): per queue and message group, deliveries out of send order;</li>
 *   <li><b>FIFO copies</b>: one FIFO message stored twice (delivered under two message ids: deduplication failed);</li>
 *   <li>counts of duplicate deliveries and of standard messages stored twice: both allowed (at-least-once).</li>
 * </ul>
 */
final class QueueHistory {
    private final List<Event> events = new ArrayList<>();
    /** Source queue to the queues its messages may leave for (its dead-letter queue): see {@link #mayLeave}. */
    private final Map<String, Set<String>> exits = new HashMap<>();
    private long clock;
    /** Each FIFO place (queue, group, counter) attempted, to the id that took it: see {@link #attempted}. */
    private final Map<String, String> fifoPlaces = new HashMap<>();

    /** A message as a receive returned it. */
    record Delivery(String body, String messageId) {
    }

    private sealed interface Event permits Attempt, Acknowledgement, Receive, DeleteAcknowledgement {
    }

    private record Attempt(String queue, TrackedBody body) implements Event {
    }

    /** @param retried whether the send went out more than once (SDK or producer retries): it may be stored twice */
    private record Acknowledgement(String queue, String id, boolean retried) implements Event {
    }

    private record Receive(String queue, long invokedAt, long completedAt, List<Delivery> deliveries) implements Event {
    }

    /** @param receivedAt when the receive that returned the deleted receipt handle was invoked */
    private record DeleteAcknowledgement(String queue, String id, String messageId, long receivedAt, long at)
            implements Event {
    }

    /** The next tick: take one just before invoking a receive, to pass to {@link #delivered}. */
    synchronized long tick() {
        return ++clock;
    }

    /**
     * {@code body} is about to be sent to {@code queue}. A FIFO group's order is judged by its counters, so one producer
     * owns each group: a second body at the same place of the same group is a broken workload, not a broken queue (two
     * producers numbering one group from 0 made the long fault run report interleaved batches as order violations).
     */
    synchronized void attempted(String queue, TrackedBody body) {
        if (body.group() != null) {
            String place = queue + " " + body.group() + " " + body.counter();
            String owner = fifoPlaces.putIfAbsent(place, body.id());
            if (owner != null && !owner.equals(body.id())) {
                throw new IllegalStateException("two sends at one FIFO place (" + place + "): " + owner + " and "
                        + body.id() + "; give each producer its own message groups");
            }
        }
        events.add(new Attempt(queue, body));
    }

    /**
     * The send of {@code body} was acknowledged; {@code retried} when the body went out in more than one HTTP attempt
     * (the SDK's retries or the producer's own), so that it may be stored twice.
     */
    synchronized void acknowledged(String queue, TrackedBody body, boolean retried) {
        events.add(new Acknowledgement(queue, body.id(), retried));
    }

    /** A receive invoked at {@code invokedAt} (from {@link #tick()}) answered {@code deliveries}, in answer order. */
    synchronized void delivered(String queue, long invokedAt, List<Delivery> deliveries) {
        if (!deliveries.isEmpty()) {
            events.add(new Receive(queue, invokedAt, ++clock, List.copyOf(deliveries)));
        }
    }

    /**
     * A delete of the message {@code messageId}, carrying tracked id {@code id}, was answered; its receipt handle came
     * from the receive invoked at {@code receivedAt} (from {@link #tick()}).
     */
    synchronized void deleteAcknowledged(String queue, String id, String messageId, long receivedAt) {
        events.add(new DeleteAcknowledgement(queue, id, messageId, receivedAt, ++clock));
    }

    /**
     * Messages of {@code source} may leave it for {@code destination} without being delivered from {@code source}
     * again: dead-lettering moves a message whose receive the client may never have seen (its answer lost with a killed
     * node). So a FIFO message of {@code source} that is delivered from {@code destination} may be missing from
     * {@code source}'s order (not a skip); its order in {@code destination} is checked there.
     */
    synchronized void mayLeave(String source, String destination) {
        exits.computeIfAbsent(source, queue -> new HashSet<>()).add(destination);
    }

    /** Messages delivered from {@code queue} so far, redeliveries included. */
    synchronized int deliveriesFrom(String queue) {
        return events.stream().filter(event -> event instanceof Receive receive && receive.queue().equals(queue))
                .mapToInt(event -> ((Receive) event).deliveries().size()).sum();
    }

    synchronized int acknowledgedCount() {
        return (int) events.stream().filter(Acknowledgement.class::isInstance).count();
    }

    /** Checks the history recorded so far; call once every client stopped. */
    synchronized Report check() {
        Map<String, TrackedBody> attempted = new HashMap<>();
        Set<String> acknowledged = new TreeSet<>();
        Map<String, Long> deletedAt = new HashMap<>();
        Map<String, Map<String, Long>> deletedMessageIds = new HashMap<>();
        Set<String> sentOnce = new HashSet<>();
        Map<String, List<Long>> receivedAt = receivesByMessageId();
        int staleDeletes = 0;
        for (Event event : events) {
            if (event instanceof Attempt attempt) {
                attempted.put(attempt.body().id(), attempt.body());
            } else if (event instanceof Acknowledgement acknowledgement) {
                acknowledged.add(acknowledgement.id());
                if (!acknowledgement.retried()) {
                    sentOnce.add(acknowledgement.id());
                }
            } else if (event instanceof DeleteAcknowledgement delete) {
                if (receivedAgainBefore(delete, receivedAt)) {
                    // As in SQS, a handle older than the message's latest receive succeeds without deleting it: the
                    // message was delivered again (its visibility ran out) before this delete was answered.
                    staleDeletes++;
                    continue;
                }
                deletedAt.merge(delete.id(), delete.at(), Math::min);
                deletedMessageIds.computeIfAbsent(delete.id(), id -> new HashMap<>()).merge(delete.messageId(), delete.at(),
                        Math::min);
            }
        }
        FifoOrderCheck order = new FifoOrderCheck();
        // Every FIFO message known to be stored in a queue (acknowledged there, or delivered from there at any time)
        // before any receive is checked: a receive must not skip one of them, even one first delivered later.
        for (Event event : events) {
            if (event instanceof Attempt attempt && attempt.body().group() != null
                    && acknowledged.contains(attempt.body().id())) {
                order.stored(attempt.queue(), attempt.body());
            } else if (event instanceof Receive receive) {
                receive.deliveries().stream().map(delivery -> parseOrNull(delivery.body()))
                        .filter(body -> body != null && body.group() != null)
                        .forEach(body -> {
                            order.stored(receive.queue(), body);
                            exits.forEach((source, destinations) -> {
                                if (destinations.contains(receive.queue())) {
                                    order.left(source, body);
                                }
                            });
                        });
            }
        }
        Set<String> delivered = new HashSet<>();
        Map<String, Set<String>> messageIds = new HashMap<>();
        List<String> resurrected = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<Receive> receives = new ArrayList<>();
        int deliveries = 0;
        int copiesAfterDelete = 0;
        for (Event event : events) {
            if (!(event instanceof Receive receive)) {
                continue;
            }
            List<TrackedBody> tracked = new ArrayList<>();
            for (Delivery delivery : receive.deliveries()) {
                deliveries++;
                TrackedBody body = parseOrNull(delivery.body());
                if (body == null || !attempted.containsKey(body.id())) {
                    unexpected.add(receive.queue() + ": " + delivery.body());
                    continue;
                }
                tracked.add(body);
                delivered.add(body.id());
                messageIds.computeIfAbsent(body.id(), id -> new TreeSet<>()).add(delivery.messageId());
                Long deleted = deletedAt.get(body.id());
                if (deleted != null && receive.invokedAt() > deleted) {
                    Long sameDeletedAt = deletedMessageIds.get(body.id()).get(delivery.messageId());
                    if (sameDeletedAt != null && receive.invokedAt() > sameDeletedAt) {
                        // The ticks tell a stale handle from a lost delete when a long run reports one.
                        resurrected.add(receive.queue() + ": " + body.id() + " (deleted at " + sameDeletedAt
                                + ", received at " + receivedAt.get(delivery.messageId()) + ")");
                    } else if (sentOnce.contains(body.id())) {
                        // Sent in one attempt, so stored once by the send: this copy the service made (a move, say).
                        resurrected.add(receive.queue() + ": " + body.id() + " (a copy the service made: "
                                + delivery.messageId() + ")");
                    } else {
                        copiesAfterDelete++;
                    }
                }
            }
            order.received(receive.queue(), tracked);
        }
        Map<String, String> sentTo = new HashMap<>();
        events.stream().filter(Attempt.class::isInstance).map(Attempt.class::cast)
                .forEach(attempt -> sentTo.putIfAbsent(attempt.body().id(), attempt.queue()));
        List<String> lost = acknowledged.stream().filter(id -> !delivered.contains(id)).map(id -> sentTo.get(id) + ": " + id)
                .toList();
        List<String> fifoCopies = new ArrayList<>();
        int standardCopies = 0;
        int serviceCopies = 0;
        for (var entry : messageIds.entrySet()) {
            if (entry.getValue().size() > 1) {
                if (attempted.get(entry.getKey()).group() != null) {
                    fifoCopies.add(entry.getKey() + " as " + entry.getValue());
                } else {
                    standardCopies++;
                }
                if (sentOnce.contains(entry.getKey())) {
                    serviceCopies++;
                }
            }
        }
        return new Report(attempted.size(), acknowledged.size(), delivered.size(), deliveries - delivered.size(),
                standardCopies, serviceCopies, copiesAfterDelete, staleDeletes, lost, List.copyOf(resurrected), List.copyOf(unexpected), order.violations(),
                List.copyOf(fifoCopies));
    }

    /** For each message id, when each receive that returned it was invoked. */
    private Map<String, List<Long>> receivesByMessageId() {
        Map<String, List<Long>> receives = new HashMap<>();
        for (Event event : events) {
            if (event instanceof Receive receive) {
                receive.deliveries().forEach(delivery ->
                        receives.computeIfAbsent(delivery.messageId(), id -> new ArrayList<>()).add(receive.invokedAt()));
            }
        }
        return receives;
    }

    /** Whether a later receive, invoked before the delete was answered, may have returned the message again. */
    private static boolean receivedAgainBefore(DeleteAcknowledgement delete, Map<String, List<Long>> receivedAt) {
        return receivedAt.getOrDefault(delete.messageId(), List.of()).stream()
                .anyMatch(invoked -> invoked > delete.receivedAt() && invoked < delete.at());
    }

    private static TrackedBody parseOrNull(String body) {
        try {
            return TrackedBody.parse(body);
        } catch (IllegalArgumentException notTracked) {
            return null;
        }
    }

    /**
     * The verdict: {@link #valid()} unless something was lost, resurrected, unexpected, out of FIFO order or stored
     * twice in a FIFO queue.
     *
     * @param duplicates deliveries beyond each message's first (redeliveries: allowed)
     * @param standardCopies standard messages stored twice (a send retried after a lost answer, a move: allowed)
     * @param serviceCopies messages stored twice though sent in one attempt: the service copied them (a move, say)
     * @param copiesAfterDelete deliveries, after one copy's delete, of another copy stored by a retried send (allowed:
     *     the send retry made two messages; deleting one leaves the other)
     * @param staleDeletes deletes answered after the message was received again (its visibility ran out first): as in
     *     SQS they succeed without deleting, so the message may come back (allowed)
     */
    record Report(int attempted, int acknowledged, int delivered, int duplicates, int standardCopies, int serviceCopies,
            int copiesAfterDelete, int staleDeletes, List<String> lost,
            List<String> resurrected, List<String> unexpected, List<String> fifoOrder, List<String> fifoCopies) {

        boolean valid() {
            return lost.isEmpty() && resurrected.isEmpty() && unexpected.isEmpty() && fifoOrder.isEmpty()
                    && fifoCopies.isEmpty();
        }

        @Override
        public String toString() {
            return "attempted=" + attempted + " acknowledged=" + acknowledged + " delivered=" + delivered + " duplicates="
                    + duplicates + " standardCopies=" + standardCopies + " serviceCopies=" + serviceCopies
                    + " copiesAfterDelete=" + copiesAfterDelete + " staleDeletes=" + staleDeletes + examples("lost", lost)
                    + examples("resurrected", resurrected) + examples("unexpected", unexpected)
                    + examples("fifoOrder", fifoOrder) + examples("fifoCopies", fifoCopies);
        }

        private static String examples(String kind, List<String> found) {
            return " " + kind + "=" + found.size() + (found.isEmpty() ? "" : " " + found.subList(0, Math.min(10, found.size())));
        }
    }
}
