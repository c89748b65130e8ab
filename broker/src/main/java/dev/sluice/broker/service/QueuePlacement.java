package dev.sluice.broker.service;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
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
 * <p>A record changes only by compare-and-set ({@link #replace}): partitions added, a migration started or finished.
 * Each node caches records for {@link #CACHE_MILLIS} and reads them from its own catalog replica first (so routing goes on
 * while the catalog elects a leader); a stale record cannot misplace work: partitions are added
 * before they are used, a migration's old group is fenced against sends and removed only once empty, a FIFO
 * partition refuses message groups the current count puts elsewhere, and a group that answers QueueMoved or "no such
 * queue" makes the caller re-read ({@link #forget}) and retry (see {@code StalePlacementRetry}). Bounded: the cache starts over beyond
 * {@link #MAX_CACHED} names. Thread-safe; never blocks.
 */
public final class QueuePlacement {
    static final String NAMESPACE = "queue-placement";
    /** Where a queue without a placement record lives. */
    static final int LEGACY_GROUP = 0;
    static final int MAX_CACHED = 100_000;
    static final long CACHE_MILLIS = 5_000;
    private static final byte SINGLE_FORMAT = 1;
    private static final byte PLACEMENT_FORMAT = 2;

    private record Cached(Placement placement, long readAtNanos) {
    }

    /** A name whose next read must ask the catalog's leader: a group or a layout change said the record changed. */
    private static final Cached FORGOTTEN = new Cached(null, 0);

    private final Catalog catalog;
    private final String accountId;
    private final int groupCount;
    private final Function<Set<Integer>, Integer> leastLoaded;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Supplier<String> localReplica;

    /**
     * @param leastLoaded the least-loaded data group now but those given (see {@link GroupLoads})
     * @param localReplica this node's id while it holds a voting catalog replica, which then answers reads first; null
     *     otherwise (a node still joining), and every read asks the leader
     */
    public QueuePlacement(Catalog catalog, String accountId, int groupCount, Function<Set<Integer>, Integer> leastLoaded,
            Supplier<String> localReplica) {
        this(catalog, accountId, groupCount, leastLoaded, System::nanoTime, localReplica);
    }

    /** {@code nanoTime}: the clock cached records age by (a test holds one still to keep a node's records stale). */
    QueuePlacement(Catalog catalog, String accountId, int groupCount, Function<Set<Integer>, Integer> leastLoaded,
            LongSupplier nanoTime, Supplier<String> localReplica) {
        this.catalog = catalog;
        this.accountId = accountId;
        this.groupCount = groupCount;
        this.leastLoaded = leastLoaded;
        this.nanoTime = nanoTime;
        this.localReplica = localReplica;
    }

    public int groupCount() {
        return groupCount;
    }

    /** The least-loaded data group now but {@code excluded} (for a new partition); -1 when all are excluded. */
    public int leastLoadedExcept(Set<Integer> excluded) {
        return leastLoaded.apply(excluded);
    }

    /** The placement of an existing queue's name (a missing queue resolves too: its group then answers that it is missing). */
    public CompletableFuture<Placement> placementOf(String name) {
        return recorded(name).thenApply(placement -> placement.orElse(Placement.single(LEGACY_GROUP)));
    }

    /** Drops this node's cached record of {@code name}: the next read asks the catalog's leader. */
    public void forget(String name) {
        boundCache();
        cache.put(name, FORGOTTEN);
    }

    /**
     * The group a CreateQueue of {@code name} must go to: the name's record, or a new one claiming the least-loaded
     * group. {@code existsInLegacyGroup} tells whether group 0 already holds the name (a queue from before placement).
     */
    public CompletableFuture<Placement> claim(String name, Function<String, CompletableFuture<Boolean>> existsInLegacyGroup) {
        return claim(name, existsInLegacyGroup, () -> leastLoaded.apply(Set.of()));
    }

    /** As {@link #claim(String, Function)}, a new record claiming the group {@code choice} gives instead of the least-loaded. */
    public CompletableFuture<Placement> claim(String name, Function<String, CompletableFuture<Boolean>> existsInLegacyGroup,
            Supplier<Integer> choice) {
        return recorded(name).thenCompose(known -> {
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(known.get());
            }
            return existsInLegacyGroup.apply(name).thenCompose(legacy -> {
                Placement chosen = Placement.single(legacy ? LEGACY_GROUP : choice.get());
                return catalog.putIfAbsent(NAMESPACE, key(name), encode(chosen)).thenCompose(claimed -> claimed
                        ? CompletableFuture.completedFuture(remember(name, chosen))
                        // Another node claimed the name first: its choice stands.
                        : recorded(name).thenApply(winner -> winner.orElseThrow(
                                () -> new IllegalStateException("the placement of " + name + " vanished"))));
            });
        });
    }

    /**
     * Replaces the record of {@code name} if it still is {@code expected} (a queue without a record: its legacy
     * placement); completes with false, changing nothing, when another change came first.
     */
    public CompletableFuture<Boolean> replace(String name, Placement expected, Placement updated) {
        if (groupCount == 1) {
            return CompletableFuture.failedFuture(new IllegalStateException("one data group: nowhere to place " + name));
        }
        return catalog.get(NAMESPACE, key(name)).thenCompose(stored -> {
            Placement current = stored.map(QueuePlacement::decode).orElse(Placement.single(LEGACY_GROUP));
            if (!current.equals(expected)) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> written = stored.isPresent()
                    ? catalog.replaceIf(NAMESPACE, key(name), stored.get(), encode(updated))
                    : catalog.putIfAbsent(NAMESPACE, key(name), encode(updated));
            return written.thenApply(done -> {
                forget(name);
                return done;
            });
        });
    }

    private CompletableFuture<Optional<Placement>> recorded(String name) {
        if (groupCount == 1) {
            return CompletableFuture.completedFuture(Optional.of(Placement.single(0)));
        }
        Cached cached = cache.get(name);
        if (cached != null && cached != FORGOTTEN && nanoTime.getAsLong() - cached.readAtNanos() < CACHE_MILLIS * 1_000_000) {
            return CompletableFuture.completedFuture(Optional.of(cached.placement()));
        }
        String replica = cached == FORGOTTEN ? null : localReplica.get();
        CompletableFuture<Optional<byte[]>> read = replica == null ? catalog.get(NAMESPACE, key(name)) : replicaFirst(replica, name);
        return read.thenApply(stored -> stored.map(record -> remember(name, decode(record))));
    }

    /**
     * A record this node's catalog replica holds, else the leader's answer. Routing needs no leader while the catalog
     * elects one (a stale record is caught by the groups, above); a name the replica lacks may have just been
     * created elsewhere, so only the leader can say it has no record.
     */
    private CompletableFuture<Optional<byte[]>> replicaFirst(String replica, String name) {
        return catalog.getReplica(replica, NAMESPACE, key(name))
                .exceptionally(noReplicaHere -> Optional.empty())
                .thenCompose(local -> local.isPresent()
                        ? CompletableFuture.completedFuture(local)
                        : catalog.get(NAMESPACE, key(name)));
    }

    private String key(String name) {
        return accountId + "/" + name;
    }

    /** The queue's latest migration record (see {@link QueueMigrations}), read fresh: where a copied partition went. */
    CompletableFuture<Optional<QueueMigrations.Migration>> latestMigration(String name) {
        return catalog.get(QueueMigrations.NAMESPACE, key(name)).thenApply(stored -> stored.map(QueueMigrations::decode));
    }

    static Placement decode(byte[] record) {
        BinaryReader in = new BinaryReader(ByteBuffer.wrap(record));
        int format = in.getByte();
        if (format == SINGLE_FORMAT) {
            return Placement.single(in.getInt());
        }
        if (format != PLACEMENT_FORMAT) {
            throw new IllegalStateException("unknown queue placement format " + format);
        }
        int home = in.getInt();
        return new Placement(home, groups(in), groups(in));
    }

    private static List<Integer> groups(BinaryReader in) {
        int count = in.getInt();
        List<Integer> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            groups.add(in.getInt());
        }
        return groups;
    }

    private Placement remember(String name, Placement placement) {
        boundCache();
        cache.put(name, new Cached(placement, nanoTime.getAsLong()));
        return placement;
    }

    private void boundCache() {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
    }

    static byte[] encode(Placement placement) {
        if (placement.isSingle()) {
            return new BinaryWriter(8).putByte(SINGLE_FORMAT).putInt(placement.home()).toByteArray();
        }
        BinaryWriter out = new BinaryWriter(64).putByte(PLACEMENT_FORMAT).putInt(placement.home());
        out.putInt(placement.partitions().size());
        placement.partitions().forEach(out::putInt);
        out.putInt(placement.draining().size());
        placement.draining().forEach(out::putInt);
        return out.toByteArray();
    }
}
