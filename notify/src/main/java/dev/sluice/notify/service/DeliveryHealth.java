package dev.sluice.notify.service;

import dev.sluice.notify.core.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which subscriptions this node currently fails to deliver to, and why: what the operator sees in
 * GetSubscriptionAttributes ({@code DeliveryStatus}, {@code LastDeliveryError}), in the failing-subscriptions
 * gauge and in the log. A failing subscription is retried every few seconds per message, so the log gets one
 * WARN line when it starts failing, naming the subscription, its endpoint and the reason (no stack trace: a
 * missing queue or a refusing endpoint is an expected condition), at most one reminder per
 * {@code logInterval} while it lasts, and one INFO line when it delivers again. Node-local (each node knows its
 * own attempts); at most one entry per live subscription. Thread-safe; called from the workers' callbacks.
 *
 * <p>Why entries go stale: the retry of a failed attempt is a message in a replicated queue (the topic's outbox for
 * sqs subscriptions, the subscription's delivery queue for push ones) that any node may receive. When another node's
 * retry succeeds, this node never hears of it, and an entry cleared only by this node's own success would stay
 * forever (the gauge summed or maxed over the nodes then reported a recovered subscription as failing). So each
 * failure is recorded with when its retry is due, and the entry counts only until that time plus
 * {@link #RETRY_GRACE}: a subscription still failing fails its retry again on whichever node took it, and that node
 * now holds the entry; a retry that succeeded anywhere leaves none. Nothing is replicated and a successful delivery
 * costs a map lookup, as before; the price is that a recovery elsewhere shows on this node's gauge only once the
 * retry's due time and grace passed (seconds for sqs subscriptions, the retry delay for push ones).
 */
public final class DeliveryHealth {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryHealth.class);

    /**
     * A subscription's current failure: its topic and protocol (the gauge's labels), the latest reason and when it
     * happened, since when the subscription fails, how many attempts failed.
     */
    public record Failure(String topic, String protocol, String reason, Instant since, Instant last, long attempts) {
    }

    /** @param staleAt when the retry of the latest failure is overdue: from then on the entry no longer counts */
    private record Entry(Failure failure, Instant lastLogged, Instant staleAt) {
        boolean current(Instant now) {
            return now.isBefore(staleAt);
        }
    }

    /**
     * How long after its due time a retry may take to be received and attempted (a long poll, a busy node) before this
     * node's failure no longer counts; a retry that fails again on any node records a fresh failure there.
     */
    public static final Duration RETRY_GRACE = Duration.ofSeconds(30);

    /** An attempt that failed in an expected way, with the reason in words; no stack trace. */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final InstantSource clock;
    private final Duration logInterval;
    private final Map<String, Entry> failing = new ConcurrentHashMap<>();
    private final NotificationCounts counts = new NotificationCounts();
    /** {@code [topic, protocol]} of every subscription at the last refresh. */
    private volatile java.util.SortedSet<java.util.List<String>> subscribed = java.util.Collections.emptySortedSet();

    public DeliveryHealth(InstantSource clock, Duration logInterval) {
        this.clock = clock;
        this.logInterval = logInterval;
    }

    /**
     * Records a failed delivery attempt; true when this attempt wrote a log line (the first, or a reminder).
     *
     * @param retryIn when the attempt's retry is due (zero when none follows: the copies went to a dead-letter queue or
     *                were given up); the entry counts until then plus {@link #RETRY_GRACE}
     */
    public boolean failed(Subscription subscription, String reason, Duration retryIn) {
        Instant now = clock.instant();
        Instant staleAt = now.plus(retryIn).plus(RETRY_GRACE);
        boolean[] logged = {false};
        Entry entry = failing.compute(subscription.id(), (id, previous) -> {
            if (previous == null || !previous.current(now)) {
                logged[0] = true;
                return new Entry(new Failure(subscription.topicName(), subscription.protocol(), reason, now, now, 1), now,
                        staleAt);
            }
            Failure failure = new Failure(subscription.topicName(), subscription.protocol(), reason,
                    previous.failure().since(), now, previous.failure().attempts() + 1);
            boolean remind = !now.isBefore(previous.lastLogged().plus(logInterval));
            logged[0] = remind;
            return new Entry(failure, remind ? now : previous.lastLogged(), staleAt);
        });
        if (logged[0]) {
            Failure failure = entry.failure();
            LOG.warn("subscription {} of topic {} ({} {}) cannot be delivered to: {}; retrying ({} failed attempts since "
                    + "{}; next reminder in {} at the earliest)", subscription.id(), subscription.topicName(),
                    subscription.protocol(), subscription.endpoint(), reason, failure.attempts(), failure.since(),
                    logInterval);
        }
        return logged[0];
    }

    /** Records a successful delivery; logs the recovery of a subscription that was failing. */
    public void delivered(Subscription subscription) {
        Entry recovered = failing.remove(subscription.id());
        if (recovered != null) {
            LOG.info("subscription {} of topic {} ({} {}) delivers again after {} failed attempts since {}",
                    subscription.id(), subscription.topicName(), subscription.protocol(), subscription.endpoint(),
                    recovered.failure().attempts(), recovered.failure().since());
        }
    }

    /** This node's publish and delivery counts, for the meters. */
    public NotificationCounts counts() {
        return counts;
    }

    /** The subscription's current failure on this node, if it is failing (its retry not yet overdue). */
    public Optional<Failure> failure(String subscriptionId) {
        Instant now = clock.instant();
        return Optional.ofNullable(failing.get(subscriptionId)).filter(entry -> entry.current(now)).map(Entry::failure);
    }

    /** Every subscription failing on this node right now, by subscription id (the console merges the nodes' lists). */
    public java.util.SortedMap<String, Failure> failures() {
        Instant now = clock.instant();
        java.util.SortedMap<String, Failure> current = new java.util.TreeMap<>();
        failing.forEach((id, entry) -> {
            if (entry.current(now)) {
                current.put(id, entry.failure());
            }
        });
        return current;
    }

    /** How many subscriptions of {@code protocol} are failing on this node right now. */
    public int failing(String protocol) {
        return (int) currentFailures().filter(failure -> failure.protocol().equals(protocol)).count();
    }

    /** The failures whose retry is not yet overdue; the overdue ones are dropped on the way (the map stays bounded). */
    private java.util.stream.Stream<Failure> currentFailures() {
        Instant now = clock.instant();
        failing.values().removeIf(entry -> !entry.current(now));
        return failing.values().stream().filter(entry -> entry.current(now)).map(Entry::failure);
    }

    /**
     * How many subscriptions are failing on this node right now, by {@code [topic, protocol]}, sorted; 0 for the
     * pairs that have subscriptions (as of the workers' last refresh) and none failing.
     */
    public java.util.SortedMap<java.util.List<String>, Long> failingByTopic() {
        java.util.SortedMap<java.util.List<String>, Long> counts = new java.util.TreeMap<>(NotificationCounts.KEY_ORDER);
        subscribed.forEach(pair -> counts.put(pair, 0L));
        currentFailures().forEach(failure -> counts.merge(java.util.List.of(failure.topic(), failure.protocol()), 1L,
                Long::sum));
        return counts;
    }

    /**
     * A failure in words fit for the subscription's owner and the log: the queue or endpoint and what went wrong,
     * never an exception's class (the unexpected ones are logged in full at DEBUG).
     */
    static String describe(Subscription subscription, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (InternalQueues.isMissingQueue(cause)) {
            String endpoint = subscription.endpoint();
            return "queue " + endpoint.substring(endpoint.lastIndexOf(':') + 1) + " does not exist";
        }
        if (cause instanceof dev.sluice.clientsdk.SqsException sqs) {
            return "the queue refused the message (" + sqs.error().code() + ")";
        }
        if (cause instanceof dev.sluice.clientsdk.SnsException sns) {
            return sns.getMessage();
        }
        if (cause instanceof Refused refused) {
            return refused.getMessage();
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "the endpoint did not answer in time";
        }
        if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
                || cause instanceof java.io.IOException) {
            return "the endpoint could not be reached";
        }
        LOG.debug("delivery to subscription {} failed", subscription.id(), cause);
        return "delivery failed unexpectedly (details in the node's debug log)";
    }

    /**
     * Forgets subscriptions that no longer exist (called with the live ones at each refresh), and remembers which
     * topics have subscriptions of which protocol, so the gauge shows 0 for them rather than nothing.
     */
    void retainOnly(java.util.Collection<Subscription> live) {
        Set<String> ids = new java.util.HashSet<>();
        java.util.SortedSet<java.util.List<String>> pairs = new java.util.TreeSet<>(NotificationCounts.KEY_ORDER);
        live.forEach(subscription -> {
            ids.add(subscription.id());
            pairs.add(java.util.List.of(subscription.topicName(), subscription.protocol()));
        });
        failing.keySet().retainAll(ids);
        subscribed = java.util.Collections.unmodifiableSortedSet(pairs);
    }
}
