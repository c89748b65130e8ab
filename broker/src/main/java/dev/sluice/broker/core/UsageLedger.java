package dev.sluice.broker.core;

/**
 * Where apply adds an account's usage: implemented over the Raft entry's write batch, so a count commits with the
 * command's effect and the applied index, exactly once per log entry on every replica. Called by the apply thread only.
 */
public interface UsageLedger {
    /** A ledger that keeps nothing: for books that meter no usage (tests of queue rules alone). */
    UsageLedger NONE = (account, hourMillis, kind, amount) -> { };

    /** Adds {@code amount} (> 0) of {@code kind} to {@code account}'s hour starting at {@code hourMillis}. */
    void add(String account, long hourMillis, UsageKind kind, long amount);
}
