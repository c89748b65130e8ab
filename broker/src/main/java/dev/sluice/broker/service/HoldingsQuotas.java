package dev.sluice.broker.service;

import dev.sluice.broker.core.AccountHolding;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The holdings quotas' one rule, for every edge that adds messages or takes them into flight (SQS sends and receives,
 * SNS publishes): an account's stored bytes may not pass its {@code storedBytes} quota, its messages in flight not
 * reach past its {@code inFlightMessages} quota, judged by the cluster's sums as this node last read them
 * ({@link ClusterHoldings}). Answers why a call is refused, or null. Thread-safe.
 */
public final class HoldingsQuotas {
    private final Function<String, AccountHolding> holdings;
    private final ToLongFunction<String> storedBytesQuota;
    private final ToLongFunction<String> inFlightQuota;

    /**
     * @param holdings an account's holdings over the cluster
     * @param storedBytesQuota an account's stored-bytes quota; 0 for no limit
     * @param inFlightQuota an account's in-flight quota; 0 for no limit
     */
    public HoldingsQuotas(Function<String, AccountHolding> holdings, ToLongFunction<String> storedBytesQuota,
            ToLongFunction<String> inFlightQuota) {
        this.holdings = holdings;
        this.storedBytesQuota = storedBytesQuota;
        this.inFlightQuota = inFlightQuota;
    }

    /** Why {@code adding} more payload bytes in {@code account}'s name are refused, or null when it has room. */
    public String storedBytesRefusal(String account, long adding) {
        return storedBytesRefusal(account, () -> adding);
    }

    /**
     * As {@link #storedBytesRefusal(String, long)}, sizing the payload only for an account with a quota: the send path
     * of every other account pays one quota lookup.
     */
    public String storedBytesRefusal(String account, java.util.function.LongSupplier addingBytes) {
        long quota = account == null ? 0 : storedBytesQuota.applyAsLong(account);
        if (quota <= 0) {
            return null;
        }
        long adding = addingBytes.getAsLong();
        long stored = holdings.apply(account).storedBytes();
        if (stored + adding <= quota) {
            return null;
        }
        return "Account " + account + " stores " + stored + " bytes of messages; " + adding
                + " more would pass its quota of " + quota
                + " (storedBytes): delete or purge messages, or ask the operator for a larger quota.";
    }

    /** Why a receive by {@code account} is refused, or null while its messages in flight are below its quota. */
    public String inFlightRefusal(String account) {
        long quota = account == null ? 0 : inFlightQuota.applyAsLong(account);
        if (quota <= 0) {
            return null;
        }
        long inFlight = holdings.apply(account).inFlightMessages();
        if (inFlight < quota) {
            return null;
        }
        return "Account " + account + " has " + inFlight + " messages in flight, at its quota of " + quota
                + " (inFlightMessages): delete or release some before receiving more.";
    }
}
