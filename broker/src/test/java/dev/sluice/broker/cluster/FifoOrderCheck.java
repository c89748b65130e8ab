package dev.sluice.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * FIFO order per queue and message group, judged from receives in the order they completed. SQS serves a group from
 * its oldest undeleted message on and locks the group while any of its messages is in flight, so each receive's run
 * of one group (its "batch") must be:
 * <ol>
 *   <li>a contiguous run in send order: increasing counters, no message known to be stored in between;</li>
 *   <li>starting at or after where every earlier batch of the group started: the group's head never moves back (a
 *       message older than an earlier head was deleted by then, so it must not come back);</li>
 *   <li>starting after only messages already delivered: a message known to be stored and older than the batch's
 *       first must have been delivered by an earlier batch (none is skipped).</li>
 * </ol>
 * So first deliveries follow send order, and a redelivery may only start again from the oldest undeleted message.
 * "Known to be stored" = acknowledged sends to the queue and everything ever delivered from it (an unanswered send
 * may or may not be stored; if it was, it is delivered and so known). Not thread-safe: one check at a time.
 */
final class FifoOrderCheck {
    private static final int MAX_REPORTED = 100;

    private record GroupKey(String queue, String group) {
    }

    private static final class GroupState {
        final NavigableSet<Long> known = new TreeSet<>();
        final NavigableSet<Long> delivered = new TreeSet<>();
        /** Messages that left the queue for another one (dead-lettered): neither between nor skipped. */
        final NavigableSet<Long> left = new TreeSet<>();
        long head = Long.MIN_VALUE;
    }

    private final Map<GroupKey, GroupState> groups = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** {@code body}, of a FIFO group, is stored in {@code queue}: call for all of them before {@link #received}. */
    void stored(String queue, TrackedBody body) {
        state(queue, body.group()).known.add(body.counter());
    }

    /**
     * {@code body} left {@code queue} for another queue (it was delivered from its dead-letter queue): a receive of
     * {@code queue} may pass over it. Call for all of them before {@link #received}.
     */
    void left(String queue, TrackedBody body) {
        state(queue, body.group()).left.add(body.counter());
    }

    /** One receive's answer from {@code queue}, in answer order; standard-queue bodies are ignored. */
    void received(String queue, List<TrackedBody> answer) {
        Map<String, List<Long>> batches = new LinkedHashMap<>();
        for (TrackedBody body : answer) {
            if (body.group() != null) {
                batches.computeIfAbsent(body.group(), group -> new ArrayList<>()).add(body.counter());
            }
        }
        batches.forEach((group, batch) -> check(queue, group, batch));
    }

    private void check(String queue, String group, List<Long> batch) {
        GroupState state = state(queue, group);
        String where = queue + " group " + group + " batch " + batch;
        for (int i = 1; i < batch.size(); i++) {
            long previous = batch.get(i - 1);
            long next = batch.get(i);
            if (next <= previous || !state.left.containsAll(state.known.subSet(previous, false, next, false))) {
                violation(where + ": not a contiguous run in send order");
                break;
            }
        }
        long first = batch.get(0);
        if (first < state.head) {
            violation(where + ": went back before " + state.head + ", where an earlier batch started");
        }
        state.head = Math.max(state.head, first);
        for (long older : state.known.headSet(first, false)) {
            if (!state.delivered.contains(older) && !state.left.contains(older)) {
                violation(where + ": skipped " + older + ", not delivered before");
                break;
            }
        }
        state.delivered.addAll(batch);
    }

    private GroupState state(String queue, String group) {
        return groups.computeIfAbsent(new GroupKey(queue, group), key -> new GroupState());
    }

    private void violation(String description) {
        if (violations.size() < MAX_REPORTED) {
            violations.add(description);
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }
}
