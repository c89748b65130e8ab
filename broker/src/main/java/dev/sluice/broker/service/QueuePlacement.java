package dev.sluice.broker.service;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which data group holds each queue: the placement, a record per queue name in the replicated catalog
 * (namespace {@value #NAMESPACE}, key {@code accountId/name}), so every node resolves a name to the same
 * group.
 *
 * <p>Rules that keep names unique across groups, also under concurrent creates and crashes:
 * <ul>
 *   <li>A create first claims the name with {@link Catalog#putIfAbsent}; whoever loses a race reads the
 *       winner's record, so every CreateQueue of one name goes to one group, whose engine decides
 *       (idempotent create, QueueAlreadyExists, QueueDeletedRecently) as it always did.</li>
 *   <li>A record is never removed when its queue is deleted: a create racing a delete could otherwise claim the
 *       name in another group while the first group still held it. A crash between the claim and the group's
 *       create leaves a record whose group has no such queue, which reads as "no such queue" and which the next
 *       create of the name completes. So no orphan, and no name that can never be created again.</li>
 *   <li>A name without a record lives in data group 0: where every queue lived before placement existed.</li>
 * </ul>
 *
 * <p>Records are immutable once written, so this node caches them without invalidation (bounded: the cache
 * starts over beyond {@link #MAX_CACHED} names). Thread-safe; never blocks.
 */
public final class QueuePlacement {
    static final String NAMESPACE = "queue-placement";
    /** Where a queue without a placement record lives. */
    static final int LEGACY_GROUP = 0;
    static final int MAX_CACHED = 100_000;
    private static final byte FORMAT = 1;

    private final Catalog catalog;
    private final String accountId;
    private final int groupCount;
    private final Supplier<Integer> leastLoaded;
    private final Map<String, Integer> cache = new ConcurrentHashMap<>();

    /**
     * @param leastLoaded the data group a new queue should go to now (see {@link GroupLoads})
     */
    public QueuePlacement(Catalog catalog, String accountId, int groupCount, Supplier<Integer> leastLoaded) {
        this.catalog = catalog;
        this.accountId = accountId;
        this.groupCount = groupCount;
        this.leastLoaded = leastLoaded;
    }

    public int groupCount() {
        return groupCount;
    }

    /** The group of an existing queue's name (a missing queue resolves too: its group then answers that it is missing). */
    public CompletableFuture<Integer> groupOf(String name) {
        return recorded(name).thenApply(group -> group.orElse(LEGACY_GROUP));
    }

    /**
     * The group a CreateQueue of {@code name} must go to: the name's record, or a new one claiming the least-loaded
     * group. {@code existsInLegacyGroup} tells whether group 0 already holds the name (a queue from before placement).
     */
    public CompletableFuture<Integer> claim(String name, Function<String, CompletableFuture<Boolean>> existsInLegacyGroup) {
        return claim(name, existsInLegacyGroup, leastLoaded);
    }

    /** As {@link #claim(String, Function)}, a new record claiming the group {@code choice} gives instead of the least-loaded. */
    public CompletableFuture<Integer> claim(String name, Function<String, CompletableFuture<Boolean>> existsInLegacyGroup,
            Supplier<Integer> choice) {
        return recorded(name).thenCompose(known -> {
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(known.get());
            }
            return existsInLegacyGroup.apply(name).thenCompose(legacy -> {
                int chosen = legacy ? LEGACY_GROUP : choice.get();
                return catalog.putIfAbsent(NAMESPACE, key(name), encode(chosen)).thenCompose(claimed -> claimed
                        ? CompletableFuture.completedFuture(remember(name, chosen))
                        // Another node claimed the name first: its choice stands.
                        : recorded(name).thenApply(winner -> winner.orElseThrow(
                                () -> new IllegalStateException("the placement of " + name + " vanished"))));
            });
        });
    }

    private CompletableFuture<Optional<Integer>> recorded(String name) {
        if (groupCount == 1) {
            return CompletableFuture.completedFuture(Optional.of(0));
        }
        Integer cached = cache.get(name);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return catalog.get(NAMESPACE, key(name)).thenApply(stored -> stored.map(record -> remember(name, decode(record))));
    }

    private String key(String name) {
        return accountId + "/" + name;
    }

    private static int decode(byte[] record) {
        BinaryReader in = new BinaryReader(ByteBuffer.wrap(record));
        int format = in.getByte();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown queue placement format " + format);
        }
        return in.getInt();
    }

    private int remember(String name, int group) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(name, group);
        return group;
    }

    private static byte[] encode(int group) {
        return new BinaryWriter(8).putByte(FORMAT).putInt(group).toByteArray();
    }
}
