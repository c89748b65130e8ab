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
 * @param entryLinger how long, at most, commands that wait when an entry completes wait for more before they leave
 *     as the next entry, while fewer than {@code lingerCommands} wait ({@link GroupClient} says when); zero sends
 *     them at once, and so does a {@code maxInflightProposals} above 1
 * @param lingerCommands the commands waiting that end a linger at once (fewer do when no more fit the entry's bytes)
 */
public record GroupClientSettings(int maxInflightProposals, int maxProposalBytes, Duration requestTimeout,
        int maxWaitingCommands, Duration attemptTimeout, Duration entryLinger, int lingerCommands) {
    /** Commands per entry at most, whatever their size: bounds apply time per entry. */
    public static final int MAX_COMMANDS_PER_PROPOSAL = 4096;
    /**
     * A node's linger ({@link #entryLinger}): about one fsync of the log (0.3-0.45 ms at the median where it was
     * measured), so a saturated group pays about one more fsync's time per request for entries that carry more
     * commands (a park of 300 µs took ~0.4 ms there). Measured in benchmarks/RESULTS.md ("a linger before a saturated
     * group's next entry", session 22): 0.91x server CPU per message under saturation, no change at 500 msg/s.
     */
    public static final Duration DEFAULT_ENTRY_LINGER = Duration.ofNanos(300_000);
    /** A node's {@link #lingerCommands}: an entry of this many commands costs per command what a linger could save. */
    public static final int DEFAULT_LINGER_COMMANDS = 6;

    /** Without a linger: every entry leaves as soon as one may. */
    public GroupClientSettings(int maxInflightProposals, int maxProposalBytes, Duration requestTimeout,
            int maxWaitingCommands, Duration attemptTimeout) {
        this(maxInflightProposals, maxProposalBytes, requestTimeout, maxWaitingCommands, attemptTimeout, Duration.ZERO,
                1);
    }

    public GroupClientSettings {
        if (entryLinger.isNegative() || entryLinger.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("entry linger must be 0 to 5 s: " + entryLinger);
        }
        if (lingerCommands < 1) {
            throw new IllegalArgumentException("linger commands must be >= 1: " + lingerCommands);
        }
        if (maxWaitingCommands < 1) {
            throw new IllegalArgumentException("max waiting commands must be >= 1: " + maxWaitingCommands);
        }
        if (attemptTimeout.toMillis() < 100 || attemptTimeout.compareTo(requestTimeout) > 0) {
            throw new IllegalArgumentException("attempt timeout must be 100 ms to the request timeout: " + attemptTimeout);
        }
    }
}
