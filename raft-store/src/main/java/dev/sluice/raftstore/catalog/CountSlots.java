package dev.sluice.raftstore.catalog;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Count-quota slots that heal themselves. A create claims its slot ({@link Catalog#putIfFewer}) before it creates its
 * resource, so a node that dies between the two leaves a slot without a resource: the account would stay one under its
 * quota for good. So a claim records when it was made ({@link #claimedAt}), and a claim refused as FULL first frees the
 * account's abandoned slots ({@link #freeAbandoned}: claimed over {@link #CLAIM_GRACE} ago, their resource missing),
 * then claims once more. A create still running after its claim is that old (its request timed out long before) may
 * then end with the account one over its quota; racing creates otherwise never are. Stateless.
 */
public final class CountSlots {
    /** How old a claim without its resource must be before it is freed: far beyond any create's time. */
    public static final Duration CLAIM_GRACE = Duration.ofMinutes(2);
    private static final int PAGE = 1_000;
    /** Slots one repair reads at most: a bound on the work a FULL claim adds. */
    private static final int MAX_SCAN = 10 * PAGE;

    private CountSlots() {
    }

    /** A slot's value: when it was claimed, in milliseconds since the epoch (big-endian). */
    public static byte[] claimedAt(long epochMillis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(epochMillis).array();
    }

    /** When a slot was claimed; 0 (long ago) for a slot of an older release, which stored no time. */
    public static long claimMillis(byte[] value) {
        return value.length == Long.BYTES ? ByteBuffer.wrap(value).getLong() : 0;
    }

    /**
     * Frees the slots under {@code prefix} claimed before {@code nowMillis} - {@link #CLAIM_GRACE} whose resource
     * {@code resourceExists} (by slot key) says is missing, each deleted only while it still holds the claim that was
     * read (a fresh claim of the same key stays). Reads at most {@value #MAX_SCAN} slots. Counts the slots freed.
     */
    public static CompletableFuture<Integer> freeAbandoned(Catalog catalog, String namespace, String prefix,
            long nowMillis, Function<String, CompletableFuture<Boolean>> resourceExists) {
        return freeAbandoned(catalog, namespace, prefix, nowMillis - CLAIM_GRACE.toMillis(), resourceExists, null, 0);
    }

    private static CompletableFuture<Integer> freeAbandoned(Catalog catalog, String namespace, String prefix,
            long claimedBefore, Function<String, CompletableFuture<Boolean>> resourceExists, String startAfter,
            int scanned) {
        return catalog.scan(namespace, prefix, startAfter, PAGE).thenCompose(page -> {
            List<CompletableFuture<Boolean>> freed = new ArrayList<>();
            for (Catalog.Entry slot : page.entries()) {
                if (claimMillis(slot.value()) < claimedBefore) {
                    freed.add(resourceExists.apply(slot.key()).thenCompose(exists -> exists
                            ? CompletableFuture.completedFuture(false)
                            : catalog.deleteIf(namespace, slot.key(), slot.value())));
                }
            }
            int read = scanned + page.entries().size();
            String last = page.entries().isEmpty() ? null : page.entries().get(page.entries().size() - 1).key();
            CompletableFuture<Integer> rest = page.more() && last != null && read < MAX_SCAN
                    ? freeAbandoned(catalog, namespace, prefix, claimedBefore, resourceExists, last, read)
                    : CompletableFuture.completedFuture(0);
            return CompletableFuture.allOf(freed.toArray(CompletableFuture[]::new)).thenCompose(done -> rest)
                    .thenApply(later -> later + (int) freed.stream().filter(CompletableFuture::join).count());
        });
    }
}
