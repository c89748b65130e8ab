package dev.sluice.raftstore.client;

import java.time.Duration;

/**
 * @param maxInflightProposals Raft entries in flight at once; commands arriving meanwhile share the next entry
 * @param maxProposalBytes packed bytes per entry at most
 * @param requestTimeout total time a call may take, retries across leader changes included
 * @param maxWaitingCommands commands waiting for the next entry at most; one more fails at once with
 *     {@link StoreBusyException} instead of queueing behind work that cannot finish within its timeout anyway
 */
public record GroupClientSettings(int maxInflightProposals, int maxProposalBytes, Duration requestTimeout,
        int maxWaitingCommands) {
    /** Commands per entry at most, whatever their size: bounds apply time per entry. */
    public static final int MAX_COMMANDS_PER_PROPOSAL = 4096;

    public GroupClientSettings {
        if (maxWaitingCommands < 1) {
            throw new IllegalArgumentException("max waiting commands must be >= 1: " + maxWaitingCommands);
        }
    }
}
