package dev.sluice.clientsdk.http;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how long to wait before trying a failed request again: at most {@code maxAttempts}
 * tries in all, with exponential backoff and full jitter between them (the wait before retry
 * {@code n}, counted from 1, is uniform in {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}), which
 * spreads the retries of many clients that failed together.
 *
 * @param maxAttempts tries in all, the first included (1 means no retry); 1..20
 * @param baseDelay the cap of the first wait; positive
 * @param maxDelay the largest wait; at least {@code baseDelay}
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be 1..20: " + maxAttempts);
        }
        if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay: " + baseDelay + ", " + maxDelay);
        }
    }

    /** 3 attempts, waits capped at 50 ms, 100 ms, ... up to 5 s (close to the AWS SDKs' standard mode). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    /** No retry at all. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry, RandomGenerator random) {
        long capMillis = maxDelay.toMillis();
        long exponential = baseDelay.toMillis() << Math.min(Math.max(retry - 1, 0), 30);
        long bound = Math.min(capMillis, exponential < 0 ? capMillis : exponential);
        return Duration.ofMillis(random.nextLong(bound + 1));
    }
}
