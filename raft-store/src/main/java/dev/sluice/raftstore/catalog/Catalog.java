package dev.sluice.raftstore.catalog;

import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CommandFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The replicated catalog: small metadata records (topics, subscriptions, mappings, config) under a
 * namespace and a key. Writes are committed on a quorum; reads are linearizable. Thread-safe.
 */
public final class Catalog {
    /** Keys and namespaces are UTF-8 strings of at most this many bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** An {@link #update} that met a concurrent change waits up to this long (at random) before its next attempt. */
    static final long MAX_RETRY_PAUSE_MILLIS = 20;

    private final GroupClient group;

    public Catalog(GroupClient group) {
        this.group = group;
    }

    public record Entry(String key, byte[] value) {
    }

    /** One page of a scan; {@code more} when entries after the last one exist. */
    public record Page(List<Entry> entries, boolean more) {
    }

    /** Stores the value; completes with true when it replaced an existing one. */
    public CompletableFuture<Boolean> put(String namespace, String key, byte[] value) {
        return group.submit(putCommand(namespace, key, value)).thenApply(result -> result.get() == 1);
    }

    /** What {@link #putIfFewer} did; the ordinal is the command's result byte (never reorder). */
    public enum Claim {
        /** Stored: the key was absent and fewer than the limit of keys were under the prefix. */
        STORED,
        /** The key exists; nothing changed. */
        EXISTS,
        /** The key is absent and the limit of keys is under the prefix already; nothing changed. */
        FULL
    }

    /**
     * Stores the value unless the key exists or {@code namespace} holds {@code limit} keys starting with
     * {@code countedPrefix} already: a count quota checked and claimed in one apply, so two writers racing for the last
     * slot cannot both get it. A command of feature level 2: the caller checks {@code ClusterFeatures#atLeast} first.
     */
    public CompletableFuture<Claim> putIfFewer(String namespace, String key, byte[] value, String countedPrefix, long limit) {
        return group.submit(putIfFewerCommand(namespace, key, value, countedPrefix, limit))
                .thenApply(result -> Claim.values()[result.get()]);
    }

    /** Stores the value unless the key exists; completes with true when it stored it. */
    public CompletableFuture<Boolean> putIfAbsent(String namespace, String key, byte[] value) {
        return group.submit(putIfAbsentCommand(namespace, key, value)).thenApply(result -> new BinaryReader(result).getBoolean());
    }

    /**
     * Compare-and-set: stores {@code value} only if the key still holds exactly {@code expected} (the
     * bytes an earlier {@link #get} returned). Completes with false, changing nothing, when the key is
     * absent or holds anything else; the caller re-reads and retries or gives up.
     */
    public CompletableFuture<Boolean> replaceIf(String namespace, String key, byte[] expected, byte[] value) {
        return group.submit(replaceIfCommand(namespace, key, expected, value))
                .thenApply(result -> new BinaryReader(result).getBoolean());
    }

    /**
     * {@link #update(String, String, Function, int)}, failing with {@code onConflict}'s exception instead of
     * {@link UpdateConflictException} once every attempt met a concurrent change: how a service answers in its
     * own error catalogue (SNS ConcurrentAccess, Lambda ResourceConflict).
     */
    public CompletableFuture<Optional<byte[]>> update(String namespace, String key,
            Function<byte[], CompletableFuture<byte[]>> change, int maxAttempts,
            Supplier<? extends RuntimeException> onConflict) {
        return update(namespace, key, change, maxAttempts).handle((stored, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof UpdateConflictException) {
                throw onConflict.get();
            }
            if (failure != null) {
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            return stored;
        });
    }

    /**
     * Read-modify-write without lost updates: reads the value, lets {@code change} compute the new one
     * (it may be asynchronous, e.g. to validate against other state), and stores it with {@link #replaceIf}
     * over the bytes read; on a conflict it pauses briefly (at random, up to {@value #MAX_RETRY_PAUSE_MILLIS} ms),
     * re-reads and re-applies, at most {@code maxAttempts} times.
     * Completes with the value now stored (the read itself when {@code change} returns equal bytes), empty
     * when the key is absent (a deleted record is never recreated), or fails with what {@code change}
     * throws or with {@link UpdateConflictException} once every attempt met a concurrent change.
     */
    public CompletableFuture<Optional<byte[]>> update(String namespace, String key,
            Function<byte[], CompletableFuture<byte[]>> change, int maxAttempts) {
        return get(namespace, key).thenCompose(read -> {
            if (read.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<byte[]>empty());
            }
            byte[] expected = read.get();
            return change.apply(expected).thenCompose(changed -> {
                if (Arrays.equals(changed, expected)) {
                    return CompletableFuture.completedFuture(Optional.of(expected));
                }
                return replaceIf(namespace, key, expected, changed).thenCompose(applied -> {
                    if (applied) {
                        return CompletableFuture.completedFuture(Optional.of(changed));
                    }
                    if (maxAttempts <= 1) {
                        throw new UpdateConflictException(namespace, key);
                    }
                    // A random pause spreads out writers that all lost to the same one, so each round has a winner
                    // instead of every loser re-reading and colliding again.
                    Executor later = CompletableFuture.delayedExecutor(
                            ThreadLocalRandom.current().nextLong(1, MAX_RETRY_PAUSE_MILLIS + 1), TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, later)
                            .thenCompose(paused -> update(namespace, key, change, maxAttempts - 1));
                });
            });
        });
    }

    /** Removes the key only if it still holds exactly {@code expected}; completes with true when it removed it. */
    public CompletableFuture<Boolean> deleteIf(String namespace, String key, byte[] expected) {
        return group.submit(deleteIfCommand(namespace, key, expected)).thenApply(result -> new BinaryReader(result).getBoolean());
    }

    /** Removes the key; completes with true when it existed. */
    public CompletableFuture<Boolean> delete(String namespace, String key) {
        return group.submit(deleteCommand(namespace, key)).thenApply(result -> result.get() == 1);
    }

    /** The value of {@code key}; a key longer than any stored one (a name from a request) is simply absent. */
    public CompletableFuture<Optional<byte[]>> get(String namespace, String key) {
        if (key != null && key.length() > MAX_KEY_BYTES) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return group.query(getRequest(namespace, key)).thenApply(Catalog::decodeValue);
    }

    /**
     * Like {@link #get}, but from one node's replica (possibly stale) without consulting the leader: answers while
     * the catalog has no leader, for readers that tolerate a stale value (and fails if that node holds no replica).
     */
    public CompletableFuture<Optional<byte[]>> getReplica(String nodeId, String namespace, String key) {
        if (key != null && key.length() > MAX_KEY_BYTES) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return group.queryReplica(nodeId, 0, getRequest(namespace, key)).thenApply(Catalog::decodeValue);
    }

    private static byte[] getRequest(String namespace, String key) {
        checkKey(namespace, key);
        return new BinaryWriter().putByte(CatalogCommand.QUERY_GET).putString(namespace).putString(key).toByteArray();
    }

    private static Optional<byte[]> decodeValue(ByteBuffer result) {
        BinaryReader in = new BinaryReader(result);
        boolean found = in.getBoolean();
        byte[] value = in.getBytes();
        return found ? Optional.of(value) : Optional.empty();
    }

    /** Keys starting with {@code keyPrefix} after {@code startAfter} (null from the first), in byte order. */
    public CompletableFuture<Page> scan(String namespace, String keyPrefix, String startAfter, int limit) {
        return group.query(scanRequest(namespace, keyPrefix, startAfter, limit)).thenApply(Catalog::decodePage);
    }

    /** Like {@link #scan}, but from one node's replica (possibly stale): shows what that node holds. */
    public CompletableFuture<Page> scanReplica(String nodeId, String namespace, String keyPrefix, String startAfter, int limit) {
        return group.queryReplica(nodeId, 0, scanRequest(namespace, keyPrefix, startAfter, limit)).thenApply(Catalog::decodePage);
    }

    private static byte[] scanRequest(String namespace, String keyPrefix, String startAfter, int limit) {
        checkKey(namespace, keyPrefix);
        return new BinaryWriter().putByte(CatalogCommand.QUERY_SCAN).putString(namespace)
                .putString(keyPrefix).putString(startAfter).putInt(limit).toByteArray();
    }

    private static Page decodePage(ByteBuffer result) {
        BinaryReader in = new BinaryReader(result);
        int count = in.getInt();
        boolean more = in.getBoolean();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(in.getString(), in.getBytes()));
        }
        return new Page(entries, more);
    }

    // The log format of each command: golden bytes in CatalogCommandGoldenTest hold it still.

    static byte[] putCommand(String namespace, String key, byte[] value) {
        return write(CatalogCommand.PUT, namespace, key).putBytes(Objects.requireNonNull(value)).toByteArray();
    }

    static byte[] putIfAbsentCommand(String namespace, String key, byte[] value) {
        return write(CatalogCommand.PUT_IF_ABSENT, namespace, key).putBytes(Objects.requireNonNull(value)).toByteArray();
    }

    static byte[] deleteCommand(String namespace, String key) {
        return write(CatalogCommand.DELETE, namespace, key).toByteArray();
    }

    static byte[] replaceIfCommand(String namespace, String key, byte[] expected, byte[] value) {
        return write(CatalogCommand.REPLACE_IF, namespace, key).putBytes(Objects.requireNonNull(expected))
                .putBytes(Objects.requireNonNull(value)).toByteArray();
    }

    static byte[] putIfFewerCommand(String namespace, String key, byte[] value, String countedPrefix, long limit) {
        checkKey(namespace, countedPrefix);
        if (limit < 1) {
            throw new IllegalArgumentException("a count limit is at least 1: " + limit);
        }
        return write(CatalogCommand.PUT_IF_FEWER, namespace, key).putBytes(Objects.requireNonNull(value))
                .putString(countedPrefix).putLong(limit).toByteArray();
    }

    static byte[] deleteIfCommand(String namespace, String key, byte[] expected) {
        return write(CatalogCommand.DELETE_IF, namespace, key).putBytes(Objects.requireNonNull(expected)).toByteArray();
    }

    private static BinaryWriter write(int type, String namespace, String key) {
        checkKey(namespace, key);
        return CommandFrame.writer(type).putString(namespace).putString(key);
    }

    private static void checkKey(String namespace, String key) {
        if (namespace == null || namespace.isEmpty() || namespace.length() > MAX_KEY_BYTES
                || key == null || key.length() > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("catalog namespace must be non-empty and keys at most " + MAX_KEY_BYTES + " bytes");
        }
    }
}
