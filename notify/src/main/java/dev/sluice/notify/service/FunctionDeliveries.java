package dev.sluice.notify.service;

import java.time.Duration;
import java.util.List;

/**
 * What lambda / function subscriptions need, built once by {@link NotifyService}; absent (null) when no
 * function bridge runs, and then such subscriptions are refused.
 *
 * @param functions invokes the subscribed functions
 * @param retryDelays the wait before each retry of a failed invocation (NotifyConfig's functionRetryDelays)
 * @param visibilitySeconds how long a received delivery stays invisible: the wait for a delivery permit and
 *     one invocation at their longest, plus slack (as NotifyService sizes an HTTP delivery's)
 */
record FunctionDeliveries(SubscriberFunctions functions, List<Duration> retryDelays, int visibilitySeconds) {
    FunctionDeliveries {
        retryDelays = List.copyOf(retryDelays);
    }

    static FunctionDeliveries of(SubscriberFunctions functions, List<Duration> retryDelays) {
        return functions == null ? null : new FunctionDeliveries(functions, retryDelays,
                (int) Math.min(43_200, DeliveryWorker.PERMIT_WAIT.plus(functions.maxInvocationTime()).toSeconds() + 5));
    }
}
