package dev.sluice.broker.service;

import dev.sluice.broker.auth.AccessCheck;
import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.core.MoveTasks;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One caller's view of the queues: the edge's ownership check in front of the engine, made for each request (after
 * validation, so names here are valid). A queue is (account, name): CreateQueue makes the caller's account the
 * owner, GetQueueUrl looks in the caller's account (or QueueOwnerAWSAccountId's), ListQueues lists the caller's
 * account, and every action that names a queue (URL or ARN) asks the {@link AccessCheck} first. A queue the caller
 * may not reach answers as a missing queue does (QueueDoesNotExist; ResourceNotFoundException for a move task's
 * ARN), so another account's queue names are not disclosed; a denial within the caller's own account (an identity
 * policy) is AccessDenied. Batch actions are checked as their single action, as SQS authorises them. Not checked:
 * CancelMessageMoveTask, whose task handle is an unguessable capability only the task's starter received.
 * Thread-safe; never blocks.
 */
public final class AccountQueueClient implements QueueClient {

    /** A queue's resource policy (its Policy attribute) when the access check needs it, by queue URL. */
    @FunctionalInterface
    public interface ResourcePolicies {
        CompletableFuture<Optional<String>> of(String queueUrl);

        /** No policy is read: what {@link AccessCheck#OWNER_ONLY} needs, which reads none. */
        ResourcePolicies NONE = queueUrl -> CompletableFuture.completedFuture(Optional.empty());

        /** The queue's Policy attribute read through {@code engine} (a missing queue fails as it does there). */
        static ResourcePolicies reading(QueueClient engine) {
            return queueUrl -> engine.getQueueAttributes(new GetQueueAttributesRequest(queueUrl, java.util.List.of("Policy")))
                    .thenApply(answer -> Optional.ofNullable(answer.attributes().get("Policy")));
        }
    }

    private final QueueClient engine;
    private final Caller caller;
    private final AccessCheck access;
    private final ResourcePolicies policies;
    private final String region;
    private final String defaultAccount;

    /**
     * @param engine the queues of every account, by qualified name ({@link QueueUrl#qualifiedName})
     * @param defaultAccount the account of bare names, whose queues existed before accounts did
     */
    public AccountQueueClient(QueueClient engine, Caller caller, AccessCheck access, ResourcePolicies policies,
            String region, String defaultAccount) {
        this.engine = engine;
        this.caller = caller;
        this.access = access;
        this.policies = policies;
        this.region = region;
        this.defaultAccount = defaultAccount;
    }

    // ---- actions that name the caller's account, not a queue ----

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        QueueUrl queue = new QueueUrl(caller.accountId(), request.queueName());
        return allowedInOwnAccount("sqs:CreateQueue", queue.toArn(region), () -> engine.createQueue(
                new CreateQueueRequest(queue.qualifiedName(defaultAccount), request.attributes(), request.tags())));
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        QueueUrl prefix = new QueueUrl(caller.accountId(), request.queueNamePrefix() == null ? "" : request.queueNamePrefix());
        return allowedInOwnAccount("sqs:ListQueues", prefix.toArn(region) + "*", () -> engine.listQueues(
                new ListQueuesRequest(prefix.qualifiedName(defaultAccount), request.nextToken(), request.maxResults())));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        String owner = request.queueOwnerAwsAccountId() == null ? caller.accountId() : request.queueOwnerAwsAccountId();
        QueueUrl queue = new QueueUrl(owner, request.queueName());
        return checked(queue, "sqs:GetQueueUrl", SqsError.QUEUE_DOES_NOT_EXIST::exception,
                () -> engine.getQueueUrl(new GetQueueUrlRequest(request.queueName(), owner)));
    }

    // ---- actions that name a queue by URL ----

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return byUrl(request.queueUrl(), "sqs:DeleteQueue", () -> engine.deleteQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return byUrl(request.queueUrl(), "sqs:GetQueueAttributes", () -> engine.getQueueAttributes(request));
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return byUrl(request.queueUrl(), "sqs:SetQueueAttributes", () -> engine.setQueueAttributes(request));
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return byUrl(request.queueUrl(), "sqs:TagQueue", () -> engine.tagQueue(request));
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return byUrl(request.queueUrl(), "sqs:UntagQueue", () -> engine.untagQueue(request));
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return byUrl(request.queueUrl(), "sqs:ListQueueTags", () -> engine.listQueueTags(request));
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return byUrl(request.queueUrl(), "sqs:SendMessage", () -> engine.sendMessage(request));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return byUrl(request.queueUrl(), "sqs:SendMessage", () -> engine.sendMessageBatch(request));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return byUrl(request.queueUrl(), "sqs:ReceiveMessage", () -> engine.receiveMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return byUrl(request.queueUrl(), "sqs:DeleteMessage", () -> engine.deleteMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return byUrl(request.queueUrl(), "sqs:DeleteMessage", () -> engine.deleteMessageBatch(request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return byUrl(request.queueUrl(), "sqs:ChangeMessageVisibility", () -> engine.changeMessageVisibility(request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return byUrl(request.queueUrl(), "sqs:ChangeMessageVisibility", () -> engine.changeMessageVisibilityBatch(request));
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return byUrl(request.queueUrl(), "sqs:PurgeQueue", () -> engine.purgeQueue(request));
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return byUrl(request.queueUrl(), "sqs:ListDeadLetterSourceQueues", () -> engine.listDeadLetterSourceQueues(request));
    }

    // ---- actions that name queues by ARN ----

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return byArn(request.sourceArn(), "sqs:StartMessageMoveTask", MoveTasks::missingSource,
                () -> request.destinationArn() == null ? engine.startMessageMoveTask(request)
                        : byArn(request.destinationArn(), "sqs:SendMessage", MoveTasks::missingDestination,
                                () -> engine.startMessageMoveTask(request)));
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return byArn(request.sourceArn(), "sqs:ListMessageMoveTasks", MoveTasks::missingSource,
                () -> engine.listMessageMoveTasks(request));
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return engine.cancelMessageMoveTask(request);
    }

    // ---- the check ----

    /** An action on a queue URL; a URL that names no queue goes on to the engine, which answers for it. */
    private <T> CompletableFuture<T> byUrl(String queueUrl, String action, Supplier<CompletableFuture<T>> invocation) {
        Optional<QueueUrl> queue = QueueUrl.parse(queueUrl);
        return queue.isEmpty() ? invocation.get()
                : checked(queue.get(), action, SqsError.QUEUE_DOES_NOT_EXIST::exception, invocation);
    }

    /** An action on a queue ARN; an ARN that names no queue goes on to the engine, which answers for it. */
    private <T> CompletableFuture<T> byArn(String arn, String action, Supplier<RuntimeException> hidden,
            Supplier<CompletableFuture<T>> invocation) {
        Optional<QueueUrl> queue = QueueUrl.ofArn(arn);
        return queue.isEmpty() ? invocation.get() : checked(queue.get(), action, hidden, invocation);
    }

    /**
     * Runs the invocation if the access check allows {@code action} on {@code queue}; else fails with {@code hidden}
     * for another account's queue, AccessDenied for one of the caller's own.
     */
    private <T> CompletableFuture<T> checked(QueueUrl queue, String action, Supplier<RuntimeException> hidden,
            Supplier<CompletableFuture<T>> invocation) {
        CompletableFuture<Optional<String>> policy = policies.of("/" + queue.accountId() + "/" + queue.queueName())
                .exceptionally(missing -> Optional.empty());
        if (policy.isDone()) {
            // The invocation's own future, so that a caller's cancel (a long poll whose client left) reaches it.
            return decided(queue, action, policy.join(), hidden, invocation);
        }
        AtomicReference<CompletableFuture<T>> running = new AtomicReference<>();
        CompletableFuture<T> result = policy.thenCompose(read -> {
            running.set(decided(queue, action, read, hidden, invocation));
            return running.get();
        });
        result.whenComplete((value, failure) -> {
            if (result.isCancelled() && running.get() != null) {
                running.get().cancel(false);
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> decided(QueueUrl queue, String action, Optional<String> policy,
            Supplier<RuntimeException> hidden, Supplier<CompletableFuture<T>> invocation) {
        String arn = queue.toArn(region);
        if (access.allows(caller, action, arn, queue.accountId(), policy)) {
            return invocation.get();
        }
        boolean own = queue.accountId().equals(caller.accountId());
        return CompletableFuture.failedFuture(own ? accessDenied(action, arn) : hidden.get());
    }

    /** CreateQueue and ListQueues act in the caller's own account: only an identity policy can deny them. */
    private <T> CompletableFuture<T> allowedInOwnAccount(String action, String arn, Supplier<CompletableFuture<T>> invocation) {
        return access.allows(caller, action, arn, caller.accountId(), Optional.empty()) ? invocation.get()
                : CompletableFuture.failedFuture(accessDenied(action, arn));
    }

    private static RuntimeException accessDenied(String action, String arn) {
        return SqsError.ACCESS_DENIED.exception("Access to the resource " + arn + " is denied (" + action + ").");
    }

    /** The clients of each caller over one engine. */
    public static Function<Caller, QueueClient> perCaller(QueueClient engine, AccessCheck access,
            ResourcePolicies policies, String region, String defaultAccount) {
        return caller -> new AccountQueueClient(engine, caller, access, policies, region, defaultAccount);
    }
}
