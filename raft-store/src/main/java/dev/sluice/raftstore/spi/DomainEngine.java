package dev.sluice.raftstore.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A deterministic domain state machine hosted by one Raft group on every node of the group.
 *
 * <p>Threads: {@link #recover} and {@link #apply} are called by the group's single apply thread, in
 * log order. {@link #query} is called by Ratis threads concurrently with apply; engines that keep
 * in-memory state synchronise it themselves.
 *
 * <p>Rules: apply reads no clock, random source or local configuration (use {@link ApplyContext});
 * expected business failures are result values; an exception thrown from apply is treated as
 * corruption and stops the node.
 */
public interface DomainEngine {

    /** RocksDB column families this engine writes; created on first open. */
    List<String> columnFamilies();

    /**
     * Rebuilds in-memory state from storage: after open, and after a snapshot is installed. An engine whose state takes
     * long to rebuild (a deep backlog's index) may rebuild it on a thread of its own and return at once: its
     * {@link #apply}, {@link #query} and any read of its own then wait for the rebuild, so nothing sees a half-built
     * state. The returned future completes when the rebuild has ended; the caller keeps {@code reader} open until
     * then, and a failed rebuild stops the group as a failed apply does.
     */
    CompletableFuture<Void> recover(StoreReader reader);

    /** Applies one command; writes go to {@code context.writer()}. Returns the encoded result. */
    byte[] apply(int commandType, ByteBuffer payload, ApplyContext context);

    /**
     * Called once per log entry with commands, after {@link #apply} of its last command and before its batch commits
     * with the applied position, on the apply thread: where an engine writes what it gathered over the entry's commands
     * (one write per counter instead of one per command). Writes to {@code context.writer()} commit with the entry; an
     * exception stops the node as one thrown from apply does. Not called for an entry already applied (a replay).
     */
    default void beforeCommit(ApplyContext context) {
    }

    /** Serves a linearizable read (the group has applied every write committed before it). */
    byte[] query(ByteBuffer request, StoreReader reader);
}
