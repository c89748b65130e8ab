package dev.sluice.raftstore.client;

import java.time.Duration;

/**
 * @param maxInflightProposals Raft entries in flight at once; commands arriving meanwhile share the next entry
 * @param maxProposalBytes packed bytes per entry at most
 * @param requestTimeout total time a call may take, retries across leader changes included
 * @param maxWaitingCommands commands waiting for the next entry at most; one more fails at once with
 *     {@link StoreBusyException} instead of queueing behind work that cannot finish within its timeout anyway
 * @param attemptTimeout how long one attempt waits for the node it was sent to before the Raft client tries another
 *     peer: a leader that answers nothing for this long (frozen, cut off) has been replaced, so waiting longer only
 *     delays the failover; a slow but live leader is merely asked again (same call id, answered from its retry cache)
 */
public record GroupClientSettings(int maxInflightProposals, int maxProposalBytes, Duration requestTimeout,
        int maxWaitingCommands, Duration attemptTimeout) {
    /** Commands per entry at most, whatever their size: bounds apply time per entry. */
    public static final int MAX_COMMANDS_PER_PROPOSAL = 4096;

    public GroupClientSettings {
        if (maxWaitingCommands < 1) {
            throw new IllegalArgumentException("max waiting commands must be >= 1: " + maxWaitingCommands);
        }
        if (attemptTimeout.toMillis() < 100 || attemptTimeout.compareTo(requestTimeout) > 0) {
            throw new IllegalArgumentException("attempt timeout must be 100 ms to the request timeout: " + attemptTimeout);
        }
    }
}
