package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.RemoteQueue;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.CreateQueueResponse;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesResponse;
import dev.sluice.clientsdk.model.StartMessageMoveTaskRequest;
import dev.sluice.clientsdk.model.StartMessageMoveTaskResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * The commands whose target may be a queue in another Raft group (a RedrivePolicy's dead-letter
 * queue, a move task's destination or dead-letter sources), for the router: apply sees only its own
 * group, so this verifies the remote queue first (it exists, its type, its RedriveAllowPolicy) and
 * proposes the command variant that carries those facts to the queue's group. A target in the same
 * group, or in none, goes as the plain command, so the engine answers exactly as it always did.
 * Thread-safe, never blocks.
 */
public final class CrossGroupCommands {
    private final QueueGroups groups;
    private final IntFunction<EngineQueueClient> clients;
    private final QueueAttributeCodec codec;
    private final String region;
    private final String accountId;

    public CrossGroupCommands(QueueGroups groups, IntFunction<EngineQueueClient> clients, QueueAttributeCodec codec,
            String region, String accountId) {
        this.groups = groups;
        this.clients = clients;
        this.codec = codec;
        this.region = region;
        this.accountId = accountId;
    }

    /** CreateQueue in {@code group}, the group placement chose for the new queue. */
    public CompletableFuture<CreateQueueResponse> createQueue(int group, CreateQueueRequest request) {
        String sourceArn = arnOf(request.queueName());
        return remoteDeadLetterQueue(group, request.attributes(), sourceArn).thenCompose(remote -> remote == null
                ? clients.apply(group).createQueue(request) : clients.apply(group).createQueue(request, remote));
    }

    /** SetQueueAttributes of a queue in {@code group}. */
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(int group, SetQueueAttributesRequest request) {
        String sourceArn = QueueUrl.parse(request.queueUrl()).map(url -> url.toArn(region)).orElse(null);
        return remoteDeadLetterQueue(group, request.attributes(), sourceArn).thenCompose(remote -> remote == null
                ? clients.apply(group).setQueueAttributes(request) : clients.apply(group).setQueueAttributes(request, remote));
    }

    /**
     * StartMessageMoveTask of a source queue in {@code group}. With one group it is the plain command;
     * with more, the task may move messages to other groups: the source counts as a dead-letter queue
     * if a queue in any group names it, and a DestinationArn in another group is verified there.
     */
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(int group, StartMessageMoveTaskRequest request) {
        EngineQueueClient client = clients.apply(group);
        if (groups.groupCount() <= 1) {
            return client.startMessageMoveTask(request);
        }
        CompletableFuture<RemoteQueue> destination = request.destinationArn() == null
                ? CompletableFuture.completedFuture(null)
                : remoteQueue(group, request.destinationArn(), request.sourceArn());
        return destination.thenCombine(isDeadLetterQueueAnywhere(request.sourceArn()), (remote, deadLetterQueue) ->
                client.startMessageMoveTask(request, remote, deadLetterQueue)).thenCompose(started -> started);
    }

    private CompletableFuture<Boolean> isDeadLetterQueueAnywhere(String arn) {
        String name = QueueBook.nameOfArn(arn, accountId);
        List<CompletableFuture<List<String>>> asked = new ArrayList<>();
        for (int group = 0; group < groups.groupCount(); group++) {
            asked.add(clients.apply(group).deadLetterSourcesOf(name));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                .thenApply(all -> asked.stream().anyMatch(sources -> !sources.join().isEmpty()));
    }

    private CompletableFuture<RemoteQueue> remoteDeadLetterQueue(int group, java.util.Map<String, String> attributes,
            String sourceArn) {
        Optional<String> target;
        try {
            target = attributes == null ? Optional.empty() : codec.deadLetterTargetArn(attributes);
        } catch (SqsException invalid) {
            return CompletableFuture.completedFuture(null); // the engine answers the invalid policy itself
        }
        return target.map(arn -> remoteQueue(group, arn, sourceArn)).orElse(CompletableFuture.completedFuture(null));
    }

    /**
     * What the group holding {@code arn} says of it for {@code sourceArn}; null when it is in {@code group}
     * (the engine checks it there) or nowhere (the engine answers that it does not exist).
     */
    private CompletableFuture<RemoteQueue> remoteQueue(int group, String arn, String sourceArn) {
        String name = QueueBook.nameOfArn(arn, accountId);
        if (name == null || !arn.equals(arnOf(name))) {
            return CompletableFuture.completedFuture(null);
        }
        return groups.groupOf(name).handle((owner, error) -> {
            if (error == null || QueueGroups.isNoSuchQueue(error)) {
                return owner;
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(error);
        }).thenCompose(owner -> owner == null || owner == group ? CompletableFuture.completedFuture(null)
                : clients.apply(owner).redriveTarget(name, sourceArn, arn));
    }

    private String arnOf(String name) {
        return QueueUrl.ofQualified(name, accountId).toArn(region);
    }
}
