package dev.sluice.raftstore.client;

import java.time.Duration;

/**
 * @param maxInflightProposals Raft entries in flight at once; commands arriving meanwhile share the next entry
 * @param maxProposalBytes packed bytes per entry at most
 * @param requestTimeout total time a call may take, retries across leader changes included
 */
public record GroupClientSettings(int maxInflightProposals, int maxProposalBytes, Duration requestTimeout) {
    /** Commands per entry at most, whatever their size: bounds apply time per entry. */
    public static final int MAX_COMMANDS_PER_PROPOSAL = 4096;
}
