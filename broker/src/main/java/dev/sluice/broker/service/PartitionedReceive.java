package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * ReceiveMessage on a queue held by several data groups ({@link PartitionedQueue}): sweeps the groups from a rotating
 * start, proposing only to groups whose local replica has messages ready, and a long poll waits for a change in any
 * of them; each message's receipt handle is prefixed with its group. Thread-safe, never blocks.
 */
final class PartitionedReceive {
    /** A long poll over several groups re-checks their replicas at least this often (a delay ending, a missed wake-up). */
    private static final long MAX_WAIT_SLICE_MILLIS = 1_000;
    private static final long RECHECK_MILLIS = 50;

    private final List<EngineQueueClient> groups;
    private final ReceiveWaiters waiters;
    private final Consumer<String> forgetPlacement;
    private final AtomicInteger rotation = new AtomicInteger();

    PartitionedReceive(List<EngineQueueClient> groups, ReceiveWaiters waiters, Consumer<String> forgetPlacement) {
        this.groups = groups;
        this.waiters = waiters;
        this.forgetPlacement = forgetPlacement;
    }

    /** The same over other group clients (a listing view of them). */
    PartitionedReceive over(List<EngineQueueClient> otherGroups) {
        return new PartitionedReceive(otherGroups, waiters, forgetPlacement);
    }

    /**
     * {@code startedMillis}: when the client's request arrived on the {@link WaitClock}, which its wait counts from (see
     * EngineQueueClient).
     */
    CompletableFuture<ReceiveMessageResponse> receive(Placement placement, String name, ReceiveMessageRequest request,
            long startedMillis) {
        int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
        // Without a WaitTimeSeconds the queue's own ReceiveMessageWaitTimeSeconds applies, as its first partition holds it.
        CompletableFuture<Integer> waitSeconds = request.waitTimeSeconds() != null
                ? CompletableFuture.completedFuture(request.waitTimeSeconds())
                : groups.get(placement.primary()).defaultWaitSeconds(name);
        // The caller gets this very future: cancelling it (the client hung up) ends the wait and frees the waiter.
        CompletableFuture<ReceiveMessageResponse> response = new CompletableFuture<>();
        List<Integer> order = sweepOrder(placement, request.receiveRequestAttemptId());
        waitSeconds.whenComplete((seconds, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
            } else {
                new Sweep(placement, order, name, request, max, startedMillis + seconds * 1000L, response).from(0, new ArrayList<>());
            }
        });
        return response;
    }

    /**
     * The groups in the order a receive tries them: from a rotating start, so partitions are drawn fairly; a FIFO
     * retry with the same ReceiveRequestAttemptId starts where its first attempt did, so it asks the same groups.
     */
    private List<Integer> sweepOrder(Placement placement, String attemptId) {
        List<Integer> all = placement.groups();
        int start = attemptId != null ? Math.floorMod(attemptId.hashCode(), all.size())
                : Math.floorMod(rotation.getAndIncrement(), all.size());
        List<Integer> order = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            order.add(all.get((start + i) % all.size()));
        }
        return order;
    }

    /**
     * One receive over the queue's groups. A group that answers QueueMoved (its queue closed under a stale placement)
     * or, while draining, QueueDoesNotExist (a migration deleted its drained queue) counts as empty and the placement
     * is read again; a sweep that got nothing but such answers fails with QueueMoved, so the router retries on the
     * placement as it is now (backing off while it has not changed: no loop of proposals).
     */
    private final class Sweep {
        private final Placement placement;
        private final List<Integer> order;
        private final String name;
        private final ReceiveMessageRequest request;
        private final int max;
        private final long deadline;
        private final CompletableFuture<ReceiveMessageResponse> response;
        private volatile boolean moved;

        Sweep(Placement placement, List<Integer> order, String name, ReceiveMessageRequest request, int max, long deadline,
                CompletableFuture<ReceiveMessageResponse> response) {
            this.placement = placement;
            this.order = order;
            this.name = name;
            this.request = request;
            this.max = max;
            this.deadline = deadline;
            this.response = response;
        }

        void from(int position, List<Message> taken) {
            if (response.isDone()) {
                return;
            }
            if (taken.size() >= max || position == order.size()) {
                if (!taken.isEmpty() || WaitClock.millis() >= deadline) {
                    response.complete(new ReceiveMessageResponse(taken));
                } else if (moved) {
                    response.completeExceptionally(SqsError.QUEUE_MOVED.exception("A group of " + name + " moved it."));
                } else {
                    waitForChange();
                }
                return;
            }
            int group = order.get(position);
            EngineQueueClient client = groups.get(group);
            // Only a group whose replica has messages ready is asked: a receive is a Raft entry, and an idle long poll
            // must not propose one per group per wake-up. A FIFO retry asks every group (its attempt may hold messages).
            if (request.receiveRequestAttemptId() == null && !client.mayHaveReadyHere(name)) {
                from(position + 1, taken);
                return;
            }
            ReceiveMessageRequest part = new ReceiveMessageRequest(request.queueUrl(), request.attributeNames(),
                    request.messageSystemAttributeNames(), request.messageAttributeNames(), max - taken.size(),
                    request.visibilityTimeout(), 0, request.receiveRequestAttemptId());
            client.receiveMessage(part).whenComplete((received, error) -> {
                if (error != null && !isStale(group, error)) {
                    // Messages already taken from other groups are out of sight: answered, not left hidden for
                    // their visibility timeout with nobody holding them (the next receive finds this group's error).
                    if (taken.isEmpty()) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(new ReceiveMessageResponse(taken));
                    }
                    return;
                }
                if (error != null) {
                    moved |= StalePlacementRetry.isMoved(error);
                    forgetPlacement.accept(name);
                } else {
                    received.messages().forEach(message -> taken.add(withGroup(message, group)));
                }
                from(position + 1, taken);
            });
        }

        private boolean isStale(int group, Throwable error) {
            return StalePlacementRetry.isMoved(error) || (placement.draining().contains(group) && StalePlacementRetry.isMissing(error));
        }

        private void waitForChange() {
            long now = WaitClock.millis();
            long untilVisible = order.stream().mapToLong(group -> groups.get(group).untilVisibleHere(name)).min()
                    .orElse(Long.MAX_VALUE);
            long wait = Math.max(1, Math.min(Math.min(deadline - now, MAX_WAIT_SLICE_MILLIS), untilVisible));
            if (order.stream().anyMatch(group -> groups.get(group).mayHaveReadyHere(name))) {
                // A replica saw messages the sweep then did not get (taken by another receive, a FIFO group in flight):
                // look again soon, not at once, so a contested queue is not swept in a loop of proposals.
                wait = Math.max(wait, RECHECK_MILLIS);
            }
            CompletableFuture<Void> wake = waiters.await(name, Math.min(wait, Math.max(1, deadline - now)));
            if (wake == null) {
                response.complete(new ReceiveMessageResponse(List.of()));
                return;
            }
            response.whenComplete((ignored, cancelled) -> wake.complete(null));
            wake.thenRun(() -> {
                if (!response.isDone()) {
                    from(0, new ArrayList<>());
                } else if (order.stream().anyMatch(group -> groups.get(group).receivableHere(name) > 0)) {
                    waiters.passOn(name); // woken for a message it will not take: another waiter takes the wake
                }
            });
        }
    }

    private static Message withGroup(Message message, int group) {
        String handle = PartitionedQueue.HANDLE_PREFIX + group + PartitionedQueue.HANDLE_SEPARATOR + message.receiptHandle();
        return new Message(message.messageId(), handle, message.md5OfBody(), message.body(), message.attributes(), message.md5OfMessageAttributes(),
                message.messageAttributes());
    }
}
