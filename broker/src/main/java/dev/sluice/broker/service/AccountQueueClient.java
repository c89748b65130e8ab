package dev.sluice.broker.service;

import dev.sluice.broker.auth.AccessCheck;
import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.policy.AccessRequest;
import dev.sluice.broker.auth.policy.Decision;
import dev.sluice.broker.auth.policy.DenialMessage;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.broker.core.MoveTasks;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One caller's view of the queues, and the one place SQS access is decided: every action goes through
 * {@link AccessCheck} (IAM's evaluation: the caller's account and key policies, the action, the queue's ARN and
 * owner, the queue's Policy and the request's context) after validation, so names here are valid. A queue is
 * (account, name): CreateQueue makes the caller's account the owner, GetQueueUrl looks in the caller's account (or
 * QueueOwnerAWSAccountId's), ListQueues lists the caller's account (an operator's, every account's), and every
 * action that names a queue (URL or ARN) is decided with that queue's Policy as this node holds it
 * ({@link ResourcePolicies}: no extra cluster read). Another account's queue is reachable when its Policy allows the
 * caller and the caller's identity policies do (cross-account: both sides, as in IAM).
 *
 * <p>A denied request answers AccessDenied (403) when the caller may know the queue exists (its own account's, or a
 * Policy that grants the caller something); otherwise as a missing queue does (QueueDoesNotExist;
 * ResourceNotFoundException for a move task's ARN), so another account's queue names are not disclosed. GetQueueUrl
 * for another account's queue always answers QueueDoesNotExist when denied, as SQS does ("does not exist or you do
 * not have access to it"). Batch actions are checked as their single action, as SQS authorises them. Not checked:
 * CancelMessageMoveTask, whose task handle is an unguessable capability only the task's starter received.
 * Thread-safe; never blocks.
 */
public final class AccountQueueClient implements QueueClient {

    /** A queue's resource policy (its Policy attribute) as this node holds it, by qualified name. */
    @FunctionalInterface
    public interface ResourcePolicies {
        /** Empty for a queue without a Policy or a missing queue. */
        CompletableFuture<Optional<String>> of(String qualifiedName);

        /** No queue has a Policy (an engine without any). */
        ResourcePolicies NONE = name -> CompletableFuture.completedFuture(Optional.empty());
    }

    private final QueueClient engine;
    private final Caller caller;
    private final RequestContext context;
    private final AccessCheck access;
    private final ResourcePolicies policies;
    private final String region;
    private final String defaultAccount;

    /**
     * @param engine the queues of every account, by qualified name ({@link QueueUrl#qualifiedName})
     * @param context the request's source address and transport, for policy conditions
     * @param defaultAccount the account of bare names, whose queues existed before accounts did
     */
    public AccountQueueClient(QueueClient engine, Caller caller, RequestContext context, AccessCheck access,
            ResourcePolicies policies, String region, String defaultAccount) {
        this.engine = engine;
        this.caller = caller;
        this.context = context;
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

    /**
     * The caller's account's queues. A name holds no '/', so a prefix with one names no queue of the caller (and
     * cannot reach into another account's qualified names): an empty list. An operator lists every account's queues
     * without a prefix (none given: an empty one is a prefix), one account's with {@code <account id>/<name prefix>},
     * and the default account's with a bare prefix.
     */
    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        String prefix = request.queueNamePrefix() == null ? "" : request.queueNamePrefix();
        if (caller.operator() && request.queueNamePrefix() == null) {
            return allowedInOwnAccount("sqs:ListQueues", "arn:aws:sqs:" + region + ":*:*", () -> engine.listQueues(
                    new ListQueuesRequest(null, request.nextToken(), request.maxResults())));
        }
        QueueUrl scope = caller.operator() ? operatorScope(prefix) : new QueueUrl(caller.accountId(), prefix);
        if (scope == null || scope.queueName().indexOf('/') >= 0) {
            return allowedInOwnAccount("sqs:ListQueues", new QueueUrl(caller.accountId(), "").toArn(region) + "*",
                    () -> CompletableFuture.completedFuture(new ListQueuesResponse(java.util.List.of(), null)));
        }
        return allowedInOwnAccount("sqs:ListQueues", scope.toArn(region) + "*", () -> engine.listQueues(
                new ListQueuesRequest(scope.qualifiedName(defaultAccount), request.nextToken(), request.maxResults())));
    }

    /** An operator's prefix: {@code <12-digit account>/<name prefix>}, or a bare prefix of the default account; null for neither. */
    private QueueUrl operatorScope(String prefix) {
        int slash = prefix.indexOf('/');
        if (slash < 0) {
            return new QueueUrl(defaultAccount, prefix);
        }
        String account = prefix.substring(0, slash);
        return dev.sluice.broker.accounts.Account.ID.matcher(account).matches()
                ? new QueueUrl(account, prefix.substring(slash + 1)) : null;
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        String owner = request.queueOwnerAwsAccountId() == null ? caller.accountId() : request.queueOwnerAwsAccountId();
        QueueUrl queue = new QueueUrl(owner, request.queueName());
        return checked(queue, "sqs:GetQueueUrl", SqsError.QUEUE_DOES_NOT_EXIST::exception, true,
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

    /**
     * A read of the queue's messages that receives none of them (the REST peek): it shows what a receive would, so
     * the caller needs what a receive needs, {@code sqs:ReceiveMessage}.
     */
    public <T> CompletableFuture<T> readingMessages(String queueUrl, Supplier<CompletableFuture<T>> read) {
        return byUrl(queueUrl, "sqs:ReceiveMessage", read);
    }

    /** An action on a queue URL; a URL that names no queue goes on to the engine, which answers for it. */
    private <T> CompletableFuture<T> byUrl(String queueUrl, String action, Supplier<CompletableFuture<T>> invocation) {
        Optional<QueueUrl> queue = QueueUrl.parse(queueUrl);
        return queue.isEmpty() ? invocation.get()
                : checked(queue.get(), action, SqsError.QUEUE_DOES_NOT_EXIST::exception, false, invocation);
    }

    /** An action on a queue ARN; an ARN that names no queue goes on to the engine, which answers for it. */
    private <T> CompletableFuture<T> byArn(String arn, String action, Supplier<RuntimeException> hidden,
            Supplier<CompletableFuture<T>> invocation) {
        Optional<QueueUrl> queue = QueueUrl.ofArn(arn);
        return queue.isEmpty() ? invocation.get() : checked(queue.get(), action, hidden, false, invocation);
    }

    /**
     * Runs the invocation if the access check allows {@code action} on {@code queue} with its Policy; else fails with
     * AccessDenied where the caller may know the queue exists, with {@code hidden} where it may not (always for
     * another account's queue when {@code alwaysHidden}).
     */
    private <T> CompletableFuture<T> checked(QueueUrl queue, String action, Supplier<RuntimeException> hidden,
            boolean alwaysHidden, Supplier<CompletableFuture<T>> invocation) {
        CompletableFuture<Optional<String>> policy = policies.of(queue.qualifiedName(defaultAccount));
        if (policy.isDone() && !policy.isCompletedExceptionally()) {
            // The invocation's own future, so that a caller's cancel (a long poll whose client left) reaches it.
            return decided(queue, action, policy.join(), hidden, alwaysHidden, invocation);
        }
        AtomicReference<CompletableFuture<T>> running = new AtomicReference<>();
        CompletableFuture<T> result = policy.thenCompose(read -> {
            running.set(decided(queue, action, read, hidden, alwaysHidden, invocation));
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
            Supplier<RuntimeException> hidden, boolean alwaysHidden, Supplier<CompletableFuture<T>> invocation) {
        AccessRequest request = new AccessRequest(caller, action, queue.toArn(region), queue.accountId(), context);
        Decision decision = access.decide(request, policy);
        if (decision == Decision.ALLOW) {
            return invocation.get();
        }
        boolean own = caller.operator() || queue.accountId().equals(caller.accountId());
        boolean disclosed = own || !alwaysHidden && access.discloses(request, policy);
        return CompletableFuture.failedFuture(disclosed ? denied(request, policy, decision) : hidden.get());
    }

    /** CreateQueue and ListQueues act in the caller's own account: only an identity policy can deny them. */
    private <T> CompletableFuture<T> allowedInOwnAccount(String action, String arn, Supplier<CompletableFuture<T>> invocation) {
        AccessRequest request = new AccessRequest(caller, action, arn, caller.accountId(), context);
        Decision decision = access.decide(request, Optional.empty());
        return decision == Decision.ALLOW ? invocation.get()
                : CompletableFuture.failedFuture(denied(request, Optional.empty(), decision));
    }

    private RuntimeException denied(AccessRequest request, Optional<String> policy, Decision decision) {
        return SqsError.ACCESS_DENIED.exception(DenialMessage.of(access, request, policy, decision));
    }

    /** The clients of each caller over one engine. */
    public static BiFunction<Caller, RequestContext, AccountQueueClient> perCaller(QueueClient engine, AccessCheck access,
            ResourcePolicies policies, String region, String defaultAccount) {
        return (caller, context) -> new AccountQueueClient(engine, caller, context, access, policies, region, defaultAccount);
    }
}
