package dev.sluice.broker.core;

/**
 * What the queues of one account hold in one group, or summed over the cluster: the payload bytes of their stored
 * messages (as {@link UsageKind#STORED_MESSAGE_BYTE_HOURS} counts them) and their messages in flight.
 */
public record AccountHolding(String account, long storedBytes, long inFlightMessages) {
    public AccountHolding {
        java.util.Objects.requireNonNull(account, "account");
    }

    /** Both holdings added up (the same account's, from two groups). */
    public AccountHolding plus(AccountHolding other) {
        return new AccountHolding(account, storedBytes + other.storedBytes, inFlightMessages + other.inFlightMessages);
    }
}
