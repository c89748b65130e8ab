package dev.sluice.broker.service;

import dev.sluice.broker.core.EntryOutcome;
import dev.sluice.broker.core.FanOutItem;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.notify.service.OutboxFanout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * notify's fanout in one log entry over the queue engine: the outbox read by {@link RoutedQueueClient#peekReady}, the
 * copies moved by one {@code FAN_OUT} command ({@link RoutedQueueClient#fanOut}) once every node applies it (feature
 * level 4). The queue owners' stored-bytes quotas hold as for the copies the receive loop sends: a batch with a copy
 * for an owner at the quota is left to that loop, which answers the refusal as it always did. A read tells whether this
 * node leads the outbox's data group ({@link OutboxFanout.Ready#leaderHere}): notify's fanout lets that node propose
 * first and the others after a grace period, so a batch is proposed once in the normal case (notify's
 * {@code LeaderFirstReads}). Thread-safe.
 */
public final class OneApplyFanout implements OutboxFanout {
    private final RoutedQueueClient engine;
    private final FeatureLatch level;
    private final HoldingsQuotas quotas;
    private final java.util.function.IntPredicate leadsGroup;

    /**
     * @param level whether every node applies {@code FAN_OUT} (feature level 4)
     * @param leadsGroup whether this node leads a data group (by index), as its Raft division knows now
     */
    public OneApplyFanout(RoutedQueueClient engine, FeatureLatch level, HoldingsQuotas quotas,
            java.util.function.IntPredicate leadsGroup) {
        this.engine = engine;
        this.level = level;
        this.quotas = quotas;
        this.leadsGroup = leadsGroup;
    }

    @Override
    public CompletableFuture<Boolean> inOneApply() {
        return level.reached();
    }

    @Override
    public CompletableFuture<Ready> ready(String outboxUrl, int max, int waitSeconds) {
        // Who leads is asked once the read is answered: a leader that answered a long poll may have changed meanwhile.
        return engine.peekReady(outboxUrl, max, waitSeconds).thenCompose(peek -> engine.groupOf(outboxUrl)
                .thenApply(group -> new Ready(peek.ready().stream().map(peeked -> new OutboxMessage(peeked.seq(),
                        peeked.message().messageId(), peeked.message().body(), peeked.message().messageAttributes(),
                        peeked.message().firstVisibleAtMillis()))
                        .toList(), peek.beyondPeek(), leadsGroup.test(group))));
    }

    @Override
    public CompletableFuture<List<ItemResult>> fanOut(String outboxUrl, String billedTo, List<Item> items) {
        if (overQuota(items) || toInternalQueue(items)) {
            return CompletableFuture.completedFuture(items.stream()
                    .map(item -> new ItemResult(Status.LEFT, List.of())).toList());
        }
        List<FanOutItem> command = items.stream().map(item -> new FanOutItem(item.seq(), item.attempts(),
                item.retryDelaySeconds(), item.copies().stream().map(copy -> new FanOutItem.Copy(copy.subscriptionId(),
                        copy.queueArn(), false, copy.billed(), EngineQueueClient.sendEntryOf(copy.entry()))).toList()))
                .toList();
        return engine.fanOut(outboxUrl, billedTo, command).thenApply(outcomes -> outcomes.stream()
                .map(OneApplyFanout::resultOf).toList());
    }

    private static ItemResult resultOf(FanOutItem.Outcome outcome) {
        Status status = switch (outcome.status()) {
            case TAKEN -> Status.TAKEN;
            case SKIPPED -> Status.SKIPPED;
            case LEFT -> Status.LEFT;
        };
        List<dev.sluice.clientsdk.SqsException> refusals = new ArrayList<>();
        for (EntryOutcome copy : outcome.copies()) {
            refusals.add(copy.succeeded() ? null
                    : new dev.sluice.clientsdk.SqsException(copy.failure().error(), copy.failure().message()));
        }
        return new ItemResult(status, refusals);
    }

    /**
     * Whether a subscriber's copy (billed: an sqs subscription's, whose endpoint the topic's owner chose) names an
     * internal queue: the tenants' edge answers such a queue as missing, and so does the receive loop's send, which
     * then applies the subscription's retries and dead-letter queue; the apply must never store it (a topic's outbox
     * takes every record it holds as a publish of that topic).
     */
    private static boolean toInternalQueue(List<Item> items) {
        return items.stream().anyMatch(item -> item.copies().stream()
                .anyMatch(copy -> copy.billed() && ReservedQueueNames.isReservedArn(copy.queueArn())));
    }

    /** Whether a copy's queue owner (tenants' queues only: billed copies) could not store this batch's copies. */
    private boolean overQuota(List<Item> items) {
        Map<String, Long> bytesByOwner = new TreeMap<>();
        for (Item item : items) {
            for (Copy copy : item.copies()) {
                String owner = copy.billed() ? QueueUrl.ofArn(copy.queueArn()).map(QueueUrl::accountId).orElse(null)
                        : null;
                if (owner != null) {
                    bytesByOwner.merge(owner, MessageSize.of(copy.entry().messageBody(),
                            copy.entry().messageAttributes() == null ? Map.of() : copy.entry().messageAttributes()),
                            Long::sum);
                }
            }
        }
        return bytesByOwner.entrySet().stream()
                .anyMatch(owner -> quotas.storedBytesRefusal(owner.getKey(), owner.getValue()) != null);
    }
}
