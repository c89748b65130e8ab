package dev.sluice.notify.service;

import dev.sluice.notify.core.DeliveryPolicy;
import dev.sluice.notify.core.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * How many delivery attempts a push subscription gets and the wait before each retry: an HTTP(S)
 * subscription's delivery policy, or for a function subscription Lambda's asynchronous retries (SNS
 * allows no delivery policy there). The delivery queue's maxReceiveCount is {@code maxAttempts}.
 */
record RetrySchedule(int maxAttempts, IntFunction<Duration> delays) {

    static RetrySchedule of(Subscription subscription, String topicDeliveryPolicy, List<Duration> functionRetryDelays) {
        if (subscription.function()) {
            return new RetrySchedule(functionRetryDelays.size() + 1, retry -> functionRetryDelays.get(retry - 1));
        }
        DeliveryPolicy policy = DeliveryPolicy.effective(subscription.attributes().get("DeliveryPolicy"),
                topicDeliveryPolicy, subscription.protocol());
        return new RetrySchedule(policy.maxAttempts(), policy::delayBeforeRetry);
    }

    /** The wait before retry number {@code retry} (1 = the retry after the first failed attempt). */
    Duration delayBeforeRetry(int retry) {
        return delays.apply(retry);
    }
}
