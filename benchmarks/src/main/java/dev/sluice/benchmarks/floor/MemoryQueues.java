package dev.sluice.benchmarks.floor;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The floor's queues: standard queues in memory, behind the {@link QueueClient} that Sluice's SQS routes call, so the
 * requests reach them through exactly Sluice's decoding, validation and encoding. It serves what the load generators
 * and the latency script send (CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, GetQueueAttributes with the
 * approximate counts, SendMessage(Batch), ReceiveMessage with long polls and visibility timeouts,
 * DeleteMessage(Batch), PurgeQueue); any other action is answered UnsupportedOperation.
 *
 * <p>No message is written anywhere and none survives the process: this measures a server's cost without the
 * durable work, never a server. Called from the event loops; thread-safe.
 */
public final class MemoryQueues implements QueueClient {

    /** SQS's default VisibilityTimeout. */
    private static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
    private static final String ACCOUNT = "000000000000";
    /** Long polls waiting at once on one queue: Sluice's bound for a whole node (QueueModule.MAX_WAITING_RECEIVES). */
    private static final int MAX_WAITING_RECEIVES = 10_000;

    private final Supplier<String> baseUrl;
    private final LongSupplier nanoClock;
    private final FloorTimers timers;
    private final Map<String, MemoryQueue> byName = new ConcurrentHashMap<>();

    /** @param baseUrl the server's {@code http://host:port}, read when a queue is created */
    MemoryQueues(Supplier<String> baseUrl, LongSupplier nanoClock, FloorTimers timers) {
        this.baseUrl = baseUrl;
        this.nanoClock = nanoClock;
        this.timers = timers;
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        Map<String, String> attributes = request.attributes() == null ? Map.of() : request.attributes();
        if (Boolean.parseBoolean(attributes.get("FifoQueue")) || request.queueName().endsWith(".fifo")) {
            return refuse(SqsError.INVALID_PARAMETER_VALUE, "The HTTP floor serves standard queues only.");
        }
        // The validator has checked the value's range already.
        Duration visibility = attributes.containsKey("VisibilityTimeout")
                ? Duration.ofSeconds(Integer.parseInt(attributes.get("VisibilityTimeout"))) : DEFAULT_VISIBILITY;
        MemoryQueue queue = byName.computeIfAbsent(request.queueName(), name -> new MemoryQueue(
                new QueueUrl(ACCOUNT, name).toUrl(baseUrl.get()), visibility, MAX_WAITING_RECEIVES, nanoClock, timers));
        if (!queue.defaultVisibility().equals(visibility)) {
            return refuse(SqsError.QUEUE_NAME_EXISTS, "A queue already exists with the same name and a different value"
                    + " for attribute VisibilityTimeout.");
        }
        return CompletableFuture.completedFuture(new CreateQueueResponse(queue.url()));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        MemoryQueue queue = byName.get(request.queueName());
        return queue == null ? missing() : CompletableFuture.completedFuture(new GetQueueUrlResponse(queue.url()));
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        String prefix = request.queueNamePrefix() == null ? "" : request.queueNamePrefix();
        List<String> urls = new TreeMap<>(byName).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(prefix))
                .map(entry -> entry.getValue().url())
                .toList();
        return CompletableFuture.completedFuture(new ListQueuesResponse(urls, null));
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        byName.remove(QueueUrl.parse(request.queueUrl()).orElseThrow().queueName(), queue);
        queue.close();
        return CompletableFuture.completedFuture(new DeleteQueueResponse());
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        List<String> names = request.attributeNames() == null ? List.of() : request.attributeNames();
        boolean all = names.contains("All");
        Map<String, String> attributes = new TreeMap<>();
        if (all || names.contains("ApproximateNumberOfMessages")) {
            attributes.put("ApproximateNumberOfMessages", Integer.toString(queue.visibleCount()));
        }
        if (all || names.contains("ApproximateNumberOfMessagesNotVisible")) {
            attributes.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(queue.inFlightCount()));
        }
        if (all || names.contains("VisibilityTimeout")) {
            attributes.put("VisibilityTimeout", Long.toString(queue.defaultVisibility().toSeconds()));
        }
        return CompletableFuture.completedFuture(new GetQueueAttributesResponse(attributes));
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        MemoryQueue.Sent sent = queue.send(List.of(new MemoryQueue.Outgoing(request.messageBody(),
                request.messageAttributes()))).get(0);
        return CompletableFuture.completedFuture(
                new SendMessageResponse(sent.md5OfBody(), sent.md5OfAttributes(), null, sent.messageId(), null));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        List<MemoryQueue.Outgoing> outgoing = request.entries().stream()
                .map(entry -> new MemoryQueue.Outgoing(entry.messageBody(), entry.messageAttributes()))
                .toList();
        List<MemoryQueue.Sent> sent = queue.send(outgoing);
        List<SendMessageBatchResultEntry> successful = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            MemoryQueue.Sent one = sent.get(i);
            successful.add(new SendMessageBatchResultEntry(request.entries().get(i).id(), one.messageId(), one.md5OfBody(),
                    one.md5OfAttributes(), null, null));
        }
        return CompletableFuture.completedFuture(new SendMessageBatchResponse(successful, List.of()));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        ReceiveOptions options = new ReceiveOptions(
                request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages(),
                request.visibilityTimeout() == null ? null : Duration.ofSeconds(request.visibilityTimeout()),
                request.messageAttributeNames());
        Duration wait = Duration.ofSeconds(request.waitTimeSeconds() == null ? 0 : request.waitTimeSeconds());
        CompletableFuture<List<Message>> messages = queue.receive(options, wait);
        CompletableFuture<ReceiveMessageResponse> answer = messages.thenApply(ReceiveMessageResponse::new);
        // SqsRoutes cancels the answer when the client hangs up; the queue must see that to drop the waiter.
        answer.whenComplete((response, failure) -> {
            if (answer.isCancelled()) {
                messages.cancel(false);
            }
        });
        return answer;
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        if (!wellFormed(request.receiptHandle())) {
            return refuse(SqsError.RECEIPT_HANDLE_IS_INVALID, "The receipt handle is not valid.");
        }
        queue.delete(request.receiptHandle());
        return CompletableFuture.completedFuture(new DeleteMessageResponse());
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        List<DeleteMessageBatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (DeleteMessageBatchRequestEntry entry : request.entries()) {
            if (wellFormed(entry.receiptHandle())) {
                // As SQS: a handle whose message is no longer in flight (deleted, or returned and received again) succeeds.
                queue.delete(entry.receiptHandle());
                successful.add(new DeleteMessageBatchResultEntry(entry.id()));
            } else {
                SqsError error = SqsError.RECEIPT_HANDLE_IS_INVALID;
                failed.add(new BatchResultErrorEntry(entry.id(), error.senderFault(), error.code(),
                        "The receipt handle is not valid."));
            }
        }
        return CompletableFuture.completedFuture(new DeleteMessageBatchResponse(successful, failed));
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        MemoryQueue queue = queueOf(request.queueUrl());
        if (queue == null) {
            return missing();
        }
        queue.purge();
        return CompletableFuture.completedFuture(new PurgeQueueResponse());
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return unsupported();
    }

    /** Long polls waiting on the queue named {@code queueName}; 0 when there is no such queue. */
    int waitingReceives(String queueName) {
        MemoryQueue queue = byName.get(queueName);
        return queue == null ? 0 : queue.waitingReceives();
    }

    /** The queue a URL names, or null when it names none of ours. */
    private MemoryQueue queueOf(String queueUrl) {
        return QueueUrl.parse(queueUrl).map(url -> byName.get(url.queueName())).orElse(null);
    }

    /** The shape {@link MemoryQueue} hands out: message id, '#', sequence. */
    private static boolean wellFormed(String receiptHandle) {
        return receiptHandle != null && receiptHandle.indexOf('#') > 0;
    }

    private static <T> CompletableFuture<T> missing() {
        return refuse(SqsError.QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.");
    }

    private static <T> CompletableFuture<T> unsupported() {
        return refuse(SqsError.UNSUPPORTED_OPERATION, "The HTTP floor does not serve this action.");
    }

    private static <T> CompletableFuture<T> refuse(SqsError error, String message) {
        return CompletableFuture.failedFuture(error.exception(message));
    }
}
