package dev.sluice.broker.quota;

/**
 * One token bucket: refills continuously at a rate and holds at most one second of it (at least one token), so a
 * quiet client may burst one second's worth and a busy one is held to the rate. {@link #tryTake} allocates nothing.
 * Thread-safe (a short lock per call: buckets are per account and family, so contention is per tenant).
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private double perSecond;
    private double capacity;
    private double tokens;
    private long lastNanos;

    /** A full bucket at {@code perSecond} (> 0). */
    TokenBucket(double perSecond, long nowNanos) {
        this.lastNanos = nowNanos;
        setRate(perSecond, nowNanos);
        this.tokens = capacity;
    }

    /** Takes one token if there is one. */
    synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Changes the rate from now on; the tokens held stay (capped at the new capacity). */
    synchronized void setRate(double perSecond, long nowNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a bucket's rate must be positive: " + perSecond);
        }
        refill(nowNanos);
        this.perSecond = perSecond;
        capacity = Math.max(1, perSecond);
        tokens = Math.min(tokens, capacity);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            // Multiply before dividing: whole rates over whole seconds refill whole tokens, without rounding down.
            tokens = Math.min(capacity, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            lastNanos = nowNanos;
        }
    }
}
