package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.core.ReceiptHandle;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The SQS actions of a queue held by several data groups ({@link Placement}: partitions, or a migration's source
 * still draining). Sends spread over the partitions (standard queues round robin, a batch to one partition;
 * high-throughput FIFO queues by a hash of MessageGroupId, so a group lives in one partition and keeps its order and
 * deduplication); receives sweep the groups from a rotating start, proposing only to groups whose local replica has
 * messages ready, and long polls wait for a change in any of them; receipt handles carry their group
 * ({@code g<group>.<handle>}) so deletes and visibility changes reach the message's group; approximate counts are
 * summed; settings, tags, purge and delete apply to every group, the first partition first (it answers for the
 * queue, and its refusal stops the rest). Thread-safe, never blocks.
 */
final class PartitionedQueue {
    static final String HANDLE_PREFIX = "g";
    static final char HANDLE_SEPARATOR = '.';
    private static final List<String> COUNTS = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed");

    private final List<EngineQueueClient> groups;
    private final AtomicInteger rotation = new AtomicInteger();
    private final PartitionedReceive receives;
    private final RelocatedHandles relocated;

    /** {@code forgetPlacement} drops this node's cached placement of a queue (a group answered as if it had changed). */
    PartitionedQueue(List<EngineQueueClient> groups, ReceiveWaiters waiters, Consumer<String> forgetPlacement,
            RelocatedHandles relocated) {
        this.groups = groups;
        this.receives = new PartitionedReceive(groups, waiters, forgetPlacement);
        this.relocated = relocated;
    }

    /** The same over other group clients (a listing view of them). */
    PartitionedQueue(List<EngineQueueClient> groups, PartitionedQueue original) {
        this.groups = groups;
        this.receives = original.receives.over(groups);
        this.relocated = original.relocated;
    }

    // ---- queue-wide actions ----

    /**
     * Runs {@code action} on every other group of the queue, then on the first partition, whose answer is the answer.
     * The first partition answers for the whole queue (GetQueueUrl, attributes, whether it exists), so it changes
     * last: a change that failed half-way (a group without a leader) answers an error while the queue still looks
     * unchanged, and the client's retry converges. Above all a DeleteQueue retried after such a failure still finds
     * the queue and removes what is left, instead of answering QueueDoesNotExist and leaving partitions whose
     * messages a queue created again under the name would inherit; a CreateQueue likewise makes the name exist only
     * once every partition does. A group whose part is already gone (an earlier, half-done delete) counts as done.
     */
    <T> CompletableFuture<T> everywhere(Placement placement, Function<EngineQueueClient, CompletableFuture<T>> action) {
        List<CompletableFuture<T>> rest = placement.groups().stream().filter(group -> group != placement.primary())
                .map(group -> action.apply(groups.get(group)).exceptionally(PartitionedQueue::goneIsDone)).toList();
        return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new))
                .thenCompose(all -> action.apply(groups.get(placement.primary())));
    }

    private static <T> T goneIsDone(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_DOES_NOT_EXIST) {
            return null;
        }
        throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
    }

    /** The first partition's attributes, with the approximate counts summed over every group of the queue. */
    CompletableFuture<GetQueueAttributesResponse> attributes(Placement placement, GetQueueAttributesRequest request) {
        return groups.get(placement.primary()).getQueueAttributes(request).thenCompose(primary -> {
            List<String> counted = COUNTS.stream().filter(primary.attributes()::containsKey).toList();
            if (counted.isEmpty()) {
                return CompletableFuture.completedFuture(primary);
            }
            List<CompletableFuture<GetQueueAttributesResponse>> parts = placement.groups().stream()
                    .filter(group -> group != placement.primary())
                    .map(group -> groups.get(group).getQueueAttributes(new GetQueueAttributesRequest(request.queueUrl(), counted)))
                    .toList();
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(all -> {
                Map<String, String> summed = new LinkedHashMap<>(primary.attributes());
                for (String name : counted) {
                    long total = Long.parseLong(primary.attributes().get(name));
                    for (CompletableFuture<GetQueueAttributesResponse> part : parts) {
                        total += Long.parseLong(part.join().attributes().getOrDefault(name, "0"));
                    }
                    summed.put(name, Long.toString(total));
                }
                return new GetQueueAttributesResponse(summed);
            });
        });
    }

    // ---- sends ----

    CompletableFuture<SendMessageResponse> send(Placement placement, String name, SendMessageRequest request) {
        return groups.get(partitionFor(placement, name, request.messageGroupId())).sendMessage(request);
    }

    CompletableFuture<SendMessageBatchResponse> sendBatch(Placement placement, String name, SendMessageBatchRequest request) {
        if (!isFifo(name)) {
            return groups.get(partitionFor(placement, name, null)).sendMessageBatch(request);
        }
        Map<Integer, List<SendMessageBatchRequestEntry>> byGroup = new LinkedHashMap<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            byGroup.computeIfAbsent(partitionFor(placement, name, entry.messageGroupId()), group -> new ArrayList<>()).add(entry);
        }
        return merged(byGroup, (group, entries) -> groups.get(group).sendMessageBatch(
                request.withEntries(entries)),
                SendMessageBatchResponse::successful, SendMessageBatchResponse::failed, SendMessageBatchResponse::new);
    }

    private int partitionFor(Placement placement, String name, String messageGroupId) {
        List<Integer> partitions = placement.partitions();
        if (isFifo(name) && messageGroupId != null) {
            // The partition's own check uses the same function (see QueueLayout): a stale count is refused there.
            return partitions.get(QueueLayout.partitionOf(messageGroupId, partitions.size()));
        }
        return partitions.get(Math.floorMod(rotation.getAndIncrement(), partitions.size()));
    }

    static boolean isFifo(String name) {
        return name.endsWith(".fifo");
    }

    // ---- receives: see PartitionedReceive ----

    CompletableFuture<ReceiveMessageResponse> receive(Placement placement, String name, ReceiveMessageRequest request,
            long startedMillis) {
        return receives.receive(placement, name, request, startedMillis);
    }

    /**
     * A draining group's answer to an action by receipt handle: once a migration deleted the drained queue there, its
     * QueueDoesNotExist means the placement is about to name the new group alone, so it is answered as QueueMoved and
     * the router retries on the new placement, where the handle's group is gone and the handle has expired.
     */
    private <T> CompletableFuture<T> handled(Placement placement, int group, CompletableFuture<T> answer) {
        if (!placement.draining().contains(group)) {
            return answer;
        }
        return answer.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            if (StalePlacementRetry.isMissing(error)) {
                throw SqsError.QUEUE_MOVED.exception("The draining group's queue was removed.");
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(error);
        });
    }

    // ---- receipt handles ----

    /**
     * A handle and the group it names: {@code g<group>.<handle>}, or the placement's home for a handle without a
     * prefix. A prefix naming a group that no longer holds the queue (it drained in a migration) is {@code expired}:
     * its message was deleted or moved before its group was let go.
     */
    record Routed(int group, String handle, boolean expired) {
    }

    /**
     * As {@link #route(Placement, int, String)}, but a handle naming the group a FIFO partition was copied from
     * ({@code relocation}) goes to the group it was copied to, where the message kept its handle.
     */
    static Routed route(Placement placement, int groupCount, String receiptHandle, RelocatedHandles.Relocation relocation) {
        Routed routed = route(placement, groupCount, receiptHandle);
        if (routed.expired() && routed.group() == relocation.from() && placement.partitions().contains(relocation.to())
                && receiptHandle.startsWith(HANDLE_PREFIX)) {
            return new Routed(relocation.to(), routed.handle(), false);
        }
        return routed;
    }

    static Routed route(Placement placement, int groupCount, String receiptHandle) {
        if (receiptHandle != null && receiptHandle.startsWith(HANDLE_PREFIX)) {
            int separator = receiptHandle.indexOf(HANDLE_SEPARATOR);
            if (separator > 1 && separator <= 11) {
                try {
                    int group = Integer.parseInt(receiptHandle.substring(1, separator));
                    String handle = receiptHandle.substring(separator + 1);
                    if (placement.groups().contains(group)) {
                        return new Routed(group, handle, false);
                    }
                    if (group >= 0 && group < groupCount && ReceiptHandle.decode(handle).isPresent()) {
                        return new Routed(group, handle, true);
                    }
                } catch (NumberFormatException notOurs) {
                    // falls through
                }
            }
        }
        // No prefix, or one that is not ours: the home group answers (for anything but its own handles, invalid). A home
        // the queue left (migrated away) issued the handle before it left: its message was deleted or moved since.
        // Anything else then goes to the first partition, which answers that it is invalid.
        if (placement.groups().contains(placement.home())) {
            return new Routed(placement.home(), receiptHandle, false);
        }
        boolean issuedByHome = receiptHandle != null && ReceiptHandle.decode(receiptHandle).isPresent();
        return new Routed(issuedByHome ? placement.home() : placement.primary(), receiptHandle, issuedByHome);
    }

    /** As SQS answers a delete with the handle of a message already gone: success. */
    CompletableFuture<DeleteMessageResponse> delete(Placement placement, DeleteMessageRequest request) {
        return relocation(placement, request.queueUrl(), Collections.singletonList(request.receiptHandle())).thenCompose(relocation -> {
            Routed routed = route(placement, groups.size(), request.receiptHandle(), relocation);
            return routed.expired() ? CompletableFuture.completedFuture(new DeleteMessageResponse())
                    : handled(placement, routed.group(), groups.get(routed.group())
                            .deleteMessage(new DeleteMessageRequest(request.queueUrl(), routed.handle())));
        });
    }

    CompletableFuture<ChangeMessageVisibilityResponse> changeVisibility(Placement placement,
            ChangeMessageVisibilityRequest request) {
        return relocation(placement, request.queueUrl(), Collections.singletonList(request.receiptHandle())).thenCompose(relocation -> {
            Routed routed = route(placement, groups.size(), request.receiptHandle(), relocation);
            return routed.expired() ? CompletableFuture.failedFuture(expired(request.receiptHandle()))
                    : handled(placement, routed.group(), groups.get(routed.group()).changeMessageVisibility(
                            new ChangeMessageVisibilityRequest(request.queueUrl(), routed.handle(), request.visibilityTimeout())));
        });
    }

    /**
     * Where a FIFO queue's partition copied away went ({@link RelocatedHandles}), read only when one of {@code handles}
     * names a group the placement no longer holds; NONE otherwise.
     */
    private CompletableFuture<RelocatedHandles.Relocation> relocation(Placement placement, String queueUrl, List<String> handles) {
        boolean stale = handles.stream().anyMatch(handle -> route(placement, groups.size(), handle).expired());
        if (!stale || !isFifo(queueUrl)) {
            return CompletableFuture.completedFuture(RelocatedHandles.Relocation.NONE);
        }
        return QueueUrl.parse(queueUrl).map(url -> relocated.of(url.queueName()))
                .orElse(CompletableFuture.completedFuture(RelocatedHandles.Relocation.NONE));
    }

    /** The engine's answer for the handle of a message no longer in the queue. */
    private static SqsException expired(String receiptHandle) {
        return SqsError.INVALID_PARAMETER_VALUE.exception("Value " + receiptHandle
                + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
    }

    CompletableFuture<DeleteMessageBatchResponse> deleteBatch(Placement placement, DeleteMessageBatchRequest request) {
        List<String> handles = request.entries().stream().map(DeleteMessageBatchRequestEntry::receiptHandle).toList();
        return relocation(placement, request.queueUrl(), handles).thenCompose(relocation -> {
            Map<Integer, List<DeleteMessageBatchRequestEntry>> byGroup = new LinkedHashMap<>();
            List<DeleteMessageBatchResultEntry> gone = new ArrayList<>();
            for (DeleteMessageBatchRequestEntry entry : request.entries()) {
                Routed routed = route(placement, groups.size(), entry.receiptHandle(), relocation);
                if (routed.expired()) {
                    gone.add(new DeleteMessageBatchResultEntry(entry.id()));
                    continue;
                }
                byGroup.computeIfAbsent(routed.group(), group -> new ArrayList<>())
                        .add(new DeleteMessageBatchRequestEntry(entry.id(), routed.handle()));
            }
            // An invocation's bill rides with one group's delete only: the group of its first entry still routed.
            Integer billedGroup = byGroup.isEmpty() ? null : byGroup.keySet().iterator().next();
            return merged(byGroup, (group, entries) -> handled(placement, group, groups.get(group).deleteMessageBatch(
                    new DeleteMessageBatchRequest(request.queueUrl(), entries,
                            group.equals(billedGroup) ? request.invocationBill() : null))),
                    DeleteMessageBatchResponse::successful, DeleteMessageBatchResponse::failed,
                    (succeeded, failed) -> new DeleteMessageBatchResponse(joined(succeeded, gone), failed));
        });
    }

    CompletableFuture<ChangeMessageVisibilityBatchResponse> changeVisibilityBatch(Placement placement,
            ChangeMessageVisibilityBatchRequest request) {
        List<String> handles = request.entries().stream().map(ChangeMessageVisibilityBatchRequestEntry::receiptHandle).toList();
        return relocation(placement, request.queueUrl(), handles).thenCompose(relocation -> {
            Map<Integer, List<ChangeMessageVisibilityBatchRequestEntry>> byGroup = new LinkedHashMap<>();
            List<BatchResultErrorEntry> gone = new ArrayList<>();
            for (ChangeMessageVisibilityBatchRequestEntry entry : request.entries()) {
                Routed routed = route(placement, groups.size(), entry.receiptHandle(), relocation);
                if (routed.expired()) {
                    SqsException error = expired(entry.receiptHandle());
                    gone.add(new BatchResultErrorEntry(entry.id(), true, error.error().legacyCode(), error.getMessage()));
                    continue;
                }
                byGroup.computeIfAbsent(routed.group(), group -> new ArrayList<>()).add(
                        new ChangeMessageVisibilityBatchRequestEntry(entry.id(), routed.handle(), entry.visibilityTimeout()));
            }
            return merged(byGroup, (group, entries) -> handled(placement, group, groups.get(group).changeMessageVisibilityBatch(
                    new ChangeMessageVisibilityBatchRequest(request.queueUrl(), entries))),
                    ChangeMessageVisibilityBatchResponse::successful, ChangeMessageVisibilityBatchResponse::failed,
                    (succeeded, failed) -> new ChangeMessageVisibilityBatchResponse(succeeded, joined(failed, gone)));
        });
    }

    private static <T> List<T> joined(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** One batch split by group: each group's part sent at once, the answers' entries joined. */
    private static <E, R, S> CompletableFuture<R> merged(Map<Integer, List<E>> byGroup,
            BiFunction<Integer, List<E>, CompletableFuture<R>> send, Function<R, List<S>> successful,
            Function<R, List<BatchResultErrorEntry>> failed, BiFunction<List<S>, List<BatchResultErrorEntry>, R> response) {
        List<CompletableFuture<R>> parts = new ArrayList<>();
        byGroup.forEach((group, entries) -> parts.add(send.apply(group, entries)));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<S> succeeded = new ArrayList<>();
            List<BatchResultErrorEntry> failures = new ArrayList<>();
            for (CompletableFuture<R> part : parts) {
                succeeded.addAll(successful.apply(part.join()));
                failures.addAll(failed.apply(part.join()));
            }
            return response.apply(succeeded, failures);
        });
    }
}
