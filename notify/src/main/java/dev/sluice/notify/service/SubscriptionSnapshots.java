package dev.sluice.notify.service;

import dev.sluice.notify.core.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every topic's subscriptions as {@link NotifyWorkers} last read them from the catalog, for fanout: one catalog scan a
 * refresh serves every batch of every topic on this node, instead of one scan a batch.
 *
 * <p>What the snapshot owes fanout is what a scan a batch gave: a publish acknowledged after a subscription change
 * this node acknowledged (Subscribe, ConfirmSubscription, SetSubscriptionAttributes, Unsubscribe, DeleteTopic) is
 * fanned out under that change. So every subscription write of this node counts as a change ({@link #changed}) before
 * its caller hears of it, each refresh notes the changes it started after ({@link #readStarting}), and
 * {@link #of} answers only from a snapshot that started after every change counted so far, waiting for the next
 * refresh otherwise. A change acknowledged by another node shows here at that node's next refresh, within the notify
 * {@code refreshInterval} (1 s by default): SNS itself documents subscriptions and filter policies as eventually
 * consistent.
 *
 * <p>Bounded: waiters are fanout batches (at most one a fanout poller); one not served within {@link #MAX_WAIT_MILLIS}
 * fails, and its poller retries as after any failure. Thread-safe.
 */
final class SubscriptionSnapshots {
    /** How long a fanout batch waits for a fresh snapshot before it fails (the catalog may be unavailable). */
    static final long MAX_WAIT_MILLIS = 10_000;

    private record Snapshot(long changesSeen, Map<String, List<Subscription>> byTopic) {
    }

    private record Waiter(long changes, String topicName, CompletableFuture<List<Subscription>> answer) {
    }

    /** Subscription writes of this node so far; guarded by this. */
    private long changes;
    /** Guarded by this; null before the first refresh. */
    private Snapshot latest;
    /** Guarded by this. */
    private final List<Waiter> waiters = new ArrayList<>();

    /** A subscription write of this node succeeded: called before its caller is answered. */
    synchronized void changed() {
        changes++;
    }

    /** Called as a refresh starts reading the catalog: what it will have seen. */
    synchronized long readStarting() {
        return changes;
    }

    /** A refresh that started at {@code changesSeen} ({@link #readStarting}) read {@code subscriptions}. */
    void refreshed(long changesSeen, List<Subscription> subscriptions) {
        Map<String, List<Subscription>> byTopic = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            byTopic.computeIfAbsent(subscription.topicName(), name -> new ArrayList<>()).add(subscription);
        }
        byTopic.replaceAll((name, list) -> List.copyOf(list));
        Snapshot snapshot = new Snapshot(changesSeen, Map.copyOf(byTopic));
        List<Waiter> served = new ArrayList<>();
        synchronized (this) {
            if (latest != null && latest.changesSeen() > changesSeen) {
                return;
            }
            latest = snapshot;
            waiters.removeIf(waiter -> {
                if (waiter.changes() <= changesSeen) {
                    served.add(waiter);
                    return true;
                }
                return false;
            });
        }
        served.forEach(waiter -> waiter.answer().complete(snapshot.byTopic().getOrDefault(waiter.topicName(), List.of())));
    }

    /**
     * The subscriptions of {@code topicName} from a snapshot that saw every change of this node so far: at once when
     * the latest did, else when the next refresh lands (fails after {@link #MAX_WAIT_MILLIS}).
     */
    CompletableFuture<List<Subscription>> of(String topicName) {
        CompletableFuture<List<Subscription>> answer = new CompletableFuture<>();
        synchronized (this) {
            if (latest != null && latest.changesSeen() >= changes) {
                return CompletableFuture.completedFuture(latest.byTopic().getOrDefault(topicName, List.of()));
            }
            waiters.add(new Waiter(changes, topicName, answer));
        }
        return answer.orTimeout(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((subscriptions, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    waiters.removeIf(waiter -> waiter.answer() == answer);
                }
            }
        });
    }
}
