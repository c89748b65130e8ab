package dev.sluice.broker.core;

/** One counter of the usage store: {@code amount} of {@code kind} used by {@code account} in the hour from {@code hourMillis}. */
public record UsageRow(String account, long hourMillis, UsageKind kind, long amount) {
    public UsageRow {
        java.util.Objects.requireNonNull(account, "account");
        java.util.Objects.requireNonNull(kind, "kind");
        if (hourMillis % UsageMeter.HOUR_MILLIS != 0) {
            throw new IllegalArgumentException("an hour starts on the hour: " + hourMillis);
        }
    }
}
