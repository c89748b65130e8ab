package dev.sluice.broker.service;

import dev.sluice.clientsdk.Cancellation;
import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SQS edge in front of the engine: validates each request with {@link SqsValidator} before the
 * engine sees it, passes only the valid entries of a batch on and merges the entries that failed
 * validation into the answer, shapes received messages to the requested attributes, and fills in
 * the MD5s SDKs verify. At the tenants' edge it is the one place where internal queues vanish: a request
 * naming one by URL fails as the engine fails for a missing queue, at the point the engine would look it
 * up, and lists leave them out. Thread-safe if the delegate is; never blocks.
 */
public final class ValidatingQueueClient implements QueueClient {

    private final QueueClient engine;
    private final SqsValidator validator;

    public ValidatingQueueClient(QueueClient engine, SqsValidator validator) {
        this.engine = engine;
        this.validator = validator;
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return call(() -> validator.check(request), () -> engine.createQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return call(() -> validator.check(request), () -> engine.getQueueUrl(request));
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        return call(() -> validator.check(request), () -> engine.listQueues(request)).thenApply(response ->
                validator.refusesReservedNames() ? new ListQueuesResponse(tenantQueues(response.queueUrls()),
                        response.nextToken()) : response);
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return reach(request.queueUrl(), () -> validator.queue(request.queueUrl()), () -> engine.deleteQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.getQueueAttributes(request));
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.setQueueAttributes(request));
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.tagQueue(request));
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.untagQueue(request));
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return reach(request.queueUrl(), () -> validator.queue(request.queueUrl()), () -> engine.listQueueTags(request));
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.sendMessage(request)).thenApply(response ->
                new SendMessageResponse(
                        orElse(response.md5OfMessageBody(), () -> MessageMd5.ofBody(request.messageBody())),
                        orElse(response.md5OfMessageAttributes(),
                                () -> MessageMd5.ofMessageAttributes(request.messageAttributes())),
                        orElse(response.md5OfMessageSystemAttributes(),
                                () -> MessageMd5.ofMessageSystemAttributes(request.messageSystemAttributes())),
                        response.messageId(), response.sequenceNumber()));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return batch(request.queueUrl(), () -> validator.check(request),
                accepted -> engine.sendMessageBatch(request.withEntries(accepted)),
                response -> response.successful(), response -> response.failed(),
                (successful, failed) -> new SendMessageBatchResponse(
                        successful.stream().map(entry -> withMd5s(request, entry)).toList(), failed));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        CompletableFuture<ReceiveMessageResponse> received = reach(request.queueUrl(), () -> validator.check(request),
                () -> engine.receiveMessage(request));
        return Cancellation.propagate(received.thenApply(response -> new ReceiveMessageResponse(response.messages().stream()
                .map(message -> ReceivedMessageView.shape(request, message)).toList())), received);
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.deleteMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return batch(request.queueUrl(), () -> validator.check(request),
                accepted -> engine.deleteMessageBatch(request.withEntries(accepted)),
                DeleteMessageBatchResponse::successful, DeleteMessageBatchResponse::failed,
                DeleteMessageBatchResponse::new);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(
            ChangeMessageVisibilityRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.changeMessageVisibility(request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return batch(request.queueUrl(), () -> validator.check(request),
                accepted -> engine.changeMessageVisibilityBatch(
                        new ChangeMessageVisibilityBatchRequest(request.queueUrl(), accepted)),
                ChangeMessageVisibilityBatchResponse::successful, ChangeMessageVisibilityBatchResponse::failed,
                ChangeMessageVisibilityBatchResponse::new);
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return reach(request.queueUrl(), () -> validator.queue(request.queueUrl()), () -> engine.purgeQueue(request));
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return reach(request.queueUrl(), () -> validator.check(request), () -> engine.listDeadLetterSourceQueues(request)).thenApply(response ->
                validator.refusesReservedNames() ? new ListDeadLetterSourceQueuesResponse(
                        tenantQueues(response.queueUrls()), response.nextToken()) : response);
    }

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return call(() -> validator.check(request), () -> engine.startMessageMoveTask(request));
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return call(() -> validator.check(request), () -> engine.listMessageMoveTasks(request));
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return call(() -> validator.check(request), () -> engine.cancelMessageMoveTask(request));
    }

    /**
     * Runs the check, then the engine on the queue of {@code queueUrl} if this edge's callers may reach it
     * ({@link SqsValidator#checkReachable}: it is missing for them otherwise, as a missing queue is to the engine).
     */
    private <T> CompletableFuture<T> reach(String queueUrl, Runnable check, Supplier<CompletableFuture<T>> invocation) {
        return call(() -> {
            check.run();
            validator.checkReachable(queueUrl);
        }, invocation);
    }

    /** Runs the check, then the engine; a thrown exception of either becomes a failed future. */
    private static <T> CompletableFuture<T> call(Runnable check, Supplier<CompletableFuture<T>> invocation) {
        try {
            check.run();
            return invocation.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends the accepted entries to the engine (skipped when none is left, as for a queue the caller may not
     * reach: the engine would not have looked it up either) and prepends the validation failures to the
     * engine's failures.
     */
    private <E, S, R> CompletableFuture<R> batch(String queueUrl, Supplier<BatchCheck<E>> check,
            Function<List<E>, CompletableFuture<R>> invocation, Function<R, List<S>> successful,
            Function<R, List<BatchResultErrorEntry>> failed,
            BiFunction<List<S>, List<BatchResultErrorEntry>, R> result) {
        BatchCheck<E> checked;
        try {
            checked = check.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (checked.accepted().isEmpty()) {
            return CompletableFuture.completedFuture(result.apply(List.of(), checked.failed()));
        }
        return call(() -> validator.checkReachable(queueUrl), () -> invocation.apply(checked.accepted())).thenApply(response -> {
            List<BatchResultErrorEntry> allFailed = new ArrayList<>(checked.failed());
            allFailed.addAll(failed.apply(response));
            return result.apply(successful.apply(response), allFailed);
        });
    }

    private static SendMessageBatchResultEntry withMd5s(SendMessageBatchRequest request,
            SendMessageBatchResultEntry entry) {
        SendMessageBatchRequestEntry sent = request.entries().stream()
                .filter(candidate -> candidate.id().equals(entry.id())).findFirst().orElse(null);
        if (sent == null) {
            return entry;
        }
        return new SendMessageBatchResultEntry(entry.id(), entry.messageId(),
                orElse(entry.md5OfMessageBody(), () -> MessageMd5.ofBody(sent.messageBody())),
                orElse(entry.md5OfMessageAttributes(), () -> MessageMd5.ofMessageAttributes(sent.messageAttributes())),
                orElse(entry.md5OfMessageSystemAttributes(),
                        () -> MessageMd5.ofMessageSystemAttributes(sent.messageSystemAttributes())),
                entry.sequenceNumber());
    }

    /** The URLs whose queue name is not reserved for Sluice's internal queues. */
    private static List<String> tenantQueues(List<String> queueUrls) {
        return queueUrls.stream().filter(url -> QueueUrl.parse(url)
                .map(queue -> !ReservedQueueNames.isReserved(queue.queueName())).orElse(true)).toList();
    }

    private static String orElse(String value, Supplier<String> computed) {
        return value != null ? value : computed.get();
    }

}
