package dev.sluice.broker.service;

import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Receipt handles of a high-throughput FIFO queue's partition that was copied to another data group
 * ({@link QueueCopyMigration}): their prefix names the old group, which the placement no longer holds, but the copy
 * answers the old queue's id and keeps every message's sequence number and receipt nonce, so the handle is still good
 * in the group the partition went to. That group is read from the queue's latest migration record (one catalog read,
 * only for a handle whose group left a FIFO queue). Without this a delete of a message received before the move was
 * answered as done (the handle looked expired) while the message stayed in the copy, its group blocked until its
 * visibility timeout, and was then delivered again. Only the latest migration of a queue is recorded: a handle of a
 * partition moved by an earlier one is answered as expired, as before. Asking the partitions in turn cannot replace the
 * record: queue ids and sequence numbers are per group, so another partition may know the handle's queue id and answer
 * a delete of a message it does not have as done. Thread-safe, never blocks.
 */
final class RelocatedHandles {
    /** A partition copied from group {@code from} to group {@code to}; NONE when the queue's latest migration moved none. */
    record Relocation(int from, int to) {
        static final Relocation NONE = new Relocation(-1, -1);
    }

    private final Function<String, CompletableFuture<Optional<Migration>>> latestMigration;

    RelocatedHandles(Function<String, CompletableFuture<Optional<Migration>>> latestMigration) {
        this.latestMigration = latestMigration;
    }

    /** The partition the latest migration of {@code name} copied away, once the copy took its place (SWITCHED or later). */
    CompletableFuture<Relocation> of(String name) {
        return latestMigration.apply(name).thenApply(latest -> latest
                .filter(migration -> migration.position() != null)
                .filter(migration -> migration.state() == State.SWITCHED || migration.state() == State.COMPLETED)
                .map(migration -> new Relocation(migration.fromGroup(), migration.toGroup()))
                .orElse(Relocation.NONE));
    }
}
