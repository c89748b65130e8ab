package dev.sluice.raftstore;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Which {@link FeatureLevel} the cluster may use. Each node publishes the level it runs into the catalog
 * ({@value #NODE_LEVELS}, keyed by node id) as it starts; the effective level is the lowest level published by any
 * node of the cluster view (the layout's nodes, those being added or removed included), a node that never published
 * counting as {@link FeatureLevel#BASELINE} (it runs a release from before levels, or has not started yet). Proposers
 * ask {@link #atLeast} before they write a command code or record format of a level.
 *
 * <p>The highest effective level ever seen is kept too ({@value #CLUSTER}/{@value #HIGHEST}): from then on the logs
 * and the catalog may hold what that level brought, so a node of a lower level cannot read them. Such a node (of this
 * release or later) refuses to start serving instead of publishing its level ({@link #publish}); a node of a release
 * from before levels stops at the first entry it does not know, as it always did.
 *
 * <p>The check and the proposal are not one atomic step: a node added after a proposer read the level can still meet
 * the entry. Add nodes of the current release only (README, "Upgrading"). Thread-safe.
 */
public final class ClusterFeatures {
    /** The catalog namespace where each node publishes the level it runs, keyed by node id. */
    public static final String NODE_LEVELS = "store.node-levels";
    static final String CLUSTER = "store.cluster";
    static final String HIGHEST = "highest-feature-level";
    private static final int LEVEL_VERSION = 1;
    private static final int MAX_NODES = 1000;

    private final Catalog catalog;
    private final String nodeId;
    private final int ownLevel;
    private final Supplier<List<String>> memberIds;
    private final Consumer<String> refuse;
    private final IntConsumer seen;
    private volatile boolean published;
    /** The highest effective level this node knows is stored; raised after a read shows a higher one. */
    private volatile int knownHighest;

    /**
     * @param memberIds the node ids of the cluster view, as this node's replica of the layout has them
     * @param refuse stops this node, with the reason, when it runs a lower level than the cluster already used
     * @param seen told each level the cluster was seen at (an effective level read, or the highest it used), on the
     *     thread that completes the catalog read ({@link CommitStampLevel#raise})
     */
    ClusterFeatures(Catalog catalog, String nodeId, int ownLevel, Supplier<List<String>> memberIds, Consumer<String> refuse,
            IntConsumer seen) {
        this.catalog = catalog;
        this.nodeId = nodeId;
        this.ownLevel = ownLevel;
        this.memberIds = memberIds;
        this.refuse = refuse;
        this.seen = seen;
    }

    /** The level this node runs. */
    public int ownLevel() {
        return ownLevel;
    }

    /** Whether this node's level is in the catalog (a node is not ready before). */
    public boolean published() {
        return published;
    }

    /** The effective level, from a linearizable read of the published levels. */
    public CompletableFuture<Integer> effectiveLevel() {
        return catalog.scan(NODE_LEVELS, "", null, MAX_NODES).thenApply(page -> {
            int effective = effective(memberIds.get(), decode(page));
            seen.accept(effective);
            if (effective > knownHighest) {
                raiseHighest(effective);
            }
            return effective;
        });
    }

    /** Whether every node of the cluster view runs {@code level} or higher: the features of that level may be used. */
    public CompletableFuture<Boolean> atLeast(int level) {
        if (level <= FeatureLevel.BASELINE) {
            return CompletableFuture.completedFuture(true);
        }
        return effectiveLevel().thenApply(effective -> effective >= level);
    }

    /** Each node's published level as {@code nodeId}'s replica holds them (possibly stale; for the operator view). */
    CompletableFuture<Map<String, Integer>> publishedLevels(String replicaNodeId) {
        return catalog.scanReplica(replicaNodeId, NODE_LEVELS, "", null, MAX_NODES).thenApply(ClusterFeatures::decode);
    }

    /** The lowest level of {@code members}, {@link FeatureLevel#BASELINE} for one that did not publish. */
    public static int effective(Collection<String> members, Map<String, Integer> published) {
        int lowest = FeatureLevel.CURRENT;
        for (String member : members) {
            lowest = Math.min(lowest, published.getOrDefault(member, FeatureLevel.BASELINE));
        }
        return members.isEmpty() ? FeatureLevel.BASELINE : lowest;
    }

    /**
     * Publishes this node's level, unless the cluster already used a higher one (then {@code refuse} stops the node and
     * this completes normally: there is nothing to retry). Fails while the catalog cannot commit; the caller retries.
     */
    CompletableFuture<Void> publish() {
        return catalog.get(CLUSTER, HIGHEST).thenCompose(highest -> {
            int used = highest.map(ClusterFeatures::decodeLevel).orElse(FeatureLevel.BASELINE);
            if (used > ownLevel) {
                refuse.accept("this node runs feature level " + ownLevel + " but the cluster already uses level " + used
                        + " (its logs and catalog may hold what this release cannot read): a downgrade is refused;"
                        + " start this node with a release of level " + used + " or later");
                return CompletableFuture.completedFuture(null);
            }
            knownHighest = Math.max(knownHighest, used);
            seen.accept(used); // every node ran it once, and none of a lower level serves since
            return catalog.put(NODE_LEVELS, nodeId, encodeLevel(ownLevel)).thenAccept(replaced -> published = true);
        });
    }

    /** Stores {@code level} as the highest used unless a higher one is stored; best effort, the next read retries. */
    private void raiseHighest(int level) {
        catalog.get(CLUSTER, HIGHEST).thenCompose(stored -> {
            Optional<Integer> current = stored.map(ClusterFeatures::decodeLevel);
            if (current.isPresent() && current.get() >= level) {
                knownHighest = Math.max(knownHighest, current.get());
                return CompletableFuture.completedFuture(true);
            }
            CompletableFuture<Boolean> written = current.isEmpty() ? catalog.putIfAbsent(CLUSTER, HIGHEST, encodeLevel(level))
                    : catalog.replaceIf(CLUSTER, HIGHEST, stored.get(), encodeLevel(level));
            return written.thenApply(stored1 -> {
                if (stored1) {
                    knownHighest = Math.max(knownHighest, level);
                }
                return stored1;
            });
        });
    }

    /** A published level as catalog bytes: {@code [formatVersion:1][level:4]}. */
    public static byte[] encodeLevel(int level) {
        return new BinaryWriter(5).putByte(LEVEL_VERSION).putInt(level).toByteArray();
    }

    static int decodeLevel(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != LEVEL_VERSION) {
            throw new dev.sluice.raftstore.codec.CorruptFrameException("unknown feature level record format " + version);
        }
        return in.getInt();
    }

    private static Map<String, Integer> decode(Catalog.Page page) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        page.entries().forEach(entry -> levels.put(entry.key(), decodeLevel(entry.value())));
        return levels;
    }
}
