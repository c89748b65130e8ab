package dev.sluice.raftstore;

/**
 * The feature level of this release: what a node of it can read in a Raft log or the catalog. A new log command
 * code or record format is written only once the cluster's effective level ({@link ClusterFeatures}: the lowest level
 * any member published) reaches the level that brought it, so a node of an older release never meets an entry it
 * would stop at (apply never guesses at a code it does not know). Levels only grow; a level, once released, never
 * changes its meaning.
 *
 * <table>
 *   <caption>What each level adds</caption>
 *   <tr><th>level</th><th>adds</th></tr>
 *   <tr><td>1</td><td>everything before metering's edge usage: every queue command up to code 23, catalog commands 1-5,
 *       account record format 1 (no quotas)</td></tr>
 *   <tr><td>2</td><td>the queue command {@code RECORD_USAGE} (code 24, edge usage flushed to data group 0); account
 *       record format 2 (quotas, with the holdings quota codes 11 and 12 once set); the catalog command
 *       {@code PUT_IF_FEWER} (code 6: count quotas checked and claimed in the apply of the create); the hourly
 *       byte-hours tick (an empty {@code RECORD_USAGE})</td></tr>
 *   <tr><td>3</td><td>the queue commands {@code SEND_SQS_DELIVERIES} (code 25: a send of SNS copies to an sqs
 *       subscription that bills each stored copy to the topic's owner in its own apply) and
 *       {@code DELETE_BILLING_INVOCATION} (code 26: the delete after a function invocation, an event source
 *       mapping's or an SNS subscription's, billing it)</td></tr>
 *   <tr><td>4</td><td>the queue command {@code FAN_OUT} (code 27: a topic's outbox messages moved to their
 *       subscriptions' queues in the outbox's own data group, in one apply, idempotent per outbox message)</td></tr>
 *   <tr><td>5</td><td>the commit stamp: log entry format 2 (the leader's commit index in every entry's header) and the
 *       commit marker (entry format 3, appended when a group goes idle); no Ratis commit-index entries from a node's
 *       first start after it saw this level ({@code CommitStampLevel})</td></tr>
 * </table>
 */
public final class FeatureLevel {
    /** A node that never published a level runs a release from before feature levels: level 1. */
    public static final int BASELINE = 1;
    /** Edge usage ({@code RECORD_USAGE}) and account quotas (account record format 2). */
    public static final int USAGE_AND_QUOTAS = 2;
    /**
     * Usage the edge counted before, billed in apply: SNS deliveries to sqs subscriptions (in the send that stores the
     * copy) and function invocations of event source mappings and SNS subscriptions (in the delete of the messages
     * they handled).
     */
    public static final int USAGE_IN_LOG = 3;
    /** A publish's fanout in one entry: the peeked outbox messages and their copies moved by one apply ({@code FAN_OUT}). */
    public static final int FANOUT_IN_ONE_APPLY = 4;
    /**
     * The leader's commit index stamped into every log entry (entry format 2) and a commit marker (format 3) when a
     * group goes idle, in place of Ratis's commit-index entries (see {@code CommitStampLevel}).
     */
    public static final int COMMIT_STAMPS = 5;
    /** The level this release runs. */
    public static final int CURRENT = COMMIT_STAMPS;

    private FeatureLevel() {
    }
}
