package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog's conditional writes: replaceIf and deleteIf apply only over the exact bytes the caller read. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CatalogCompareAndSetIT {
    private static final int WRITERS = 6;
    private static final int INCREMENTS_EACH = 20;

    @TempDir
    Path dir;

    @Test
    void replaceIfAndDeleteIfApplyOnlyOverTheExpectedValueAndSurviveARestart() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            Catalog catalog = cluster.node(0).catalog();

            assertFalse(catalog.replaceIf("topics", "alerts", bytes("v1"), bytes("v2")).get(), "absent key");
            assertTrue(catalog.get("topics", "alerts").get().isEmpty(), "a failed replaceIf must not create the key");
            catalog.put("topics", "alerts", bytes("v1")).get();
            assertFalse(catalog.replaceIf("topics", "alerts", bytes("stale"), bytes("v2")).get());
            assertArrayEquals(bytes("v1"), catalog.get("topics", "alerts").get().orElseThrow());
            assertTrue(catalog.replaceIf("topics", "alerts", bytes("v1"), bytes("v2")).get());
            assertFalse(catalog.replaceIf("topics", "alerts", bytes("v1"), bytes("v3")).get(), "v1 is stale now");

            assertTrue(catalog.update("topics", "missing", read -> CompletableFuture.completedFuture(bytes("x")), 3).get()
                    .isEmpty(), "update of an absent key");
            assertTrue(catalog.get("topics", "missing").get().isEmpty(), "update never creates a key");

            assertFalse(catalog.deleteIf("topics", "alerts", bytes("v1")).get());
            assertArrayEquals(bytes("v2"), catalog.get("topics", "alerts").get().orElseThrow());
            catalog.put("topics", "billing", bytes("b1")).get();
            assertTrue(catalog.deleteIf("topics", "billing", bytes("b1")).get());
            assertFalse(catalog.deleteIf("topics", "billing", bytes("b1")).get(), "already gone");

            cluster.restart(0);
            cluster.awaitLeader(Duration.ofSeconds(30));
            Catalog reopened = cluster.node(0).catalog();
            assertArrayEquals(bytes("v2"), reopened.get("topics", "alerts").get().orElseThrow());
            assertTrue(reopened.get("topics", "billing").get().isEmpty());
        }
    }

    @Test
    void anUpdateThatConflictsOnEveryAttemptFailsWithTheCallersErrorAndAChangeFailurePassesThrough() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            Catalog catalog = cluster.node(0).catalog();
            catalog.put("topics", "busy", bytes("v0")).get();
            AtomicInteger writes = new AtomicInteger();
            // Each change first writes the key itself, so the update's replaceIf always meets a concurrent change.
            java.util.function.Function<byte[], CompletableFuture<byte[]>> racing = read -> catalog.put("topics", "busy",
                    bytes("other" + writes.incrementAndGet())).thenApply(done -> bytes("mine"));
            ExecutionException conflict = assertThrows(ExecutionException.class, () -> catalog.update("topics", "busy",
                    racing, 2, () -> new IllegalStateException("busy: retry later")).get(30, TimeUnit.SECONDS));
            assertEquals(IllegalStateException.class, conflict.getCause().getClass());
            assertEquals("busy: retry later", conflict.getCause().getMessage());
            assertEquals(2, writes.get(), "every attempt ran");

            ExecutionException refused = assertThrows(ExecutionException.class, () -> catalog.update("topics", "busy",
                    read -> {
                        throw new IllegalArgumentException("invalid change");
                    }, 2, () -> new IllegalStateException("busy")).get(30, TimeUnit.SECONDS));
            assertEquals(IllegalArgumentException.class, refused.getCause().getClass());
        }
    }

    /** Every writer reads, increments and replaceIf's in a loop: no increment is lost, on one node or three. */
    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 3})
    void concurrentReadModifyWriteLosesNoIncrement(int nodes) throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(nodes).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            cluster.node(0).catalog().put("counters", "hits", bytes("0")).get(30, TimeUnit.SECONDS);
            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    // Writers go through different nodes' clients, so they really race at the leader.
                    Catalog catalog = cluster.node(w % nodes).catalog();
                    boolean byUpdate = w % 2 == 1;
                    done.add(writers.submit(() -> {
                        for (int i = 0; i < INCREMENTS_EACH; i++) {
                            if (byUpdate) {
                                // The same loop, as Catalog.update runs it.
                                catalog.update("counters", "hits", read -> CompletableFuture.completedFuture(
                                        bytes(String.valueOf(Integer.parseInt(new String(read, StandardCharsets.UTF_8)) + 1))),
                                        1_000).get(60, TimeUnit.SECONDS);
                            } else {
                                increment(catalog, conflicts);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : done) {
                    writer.get(120, TimeUnit.SECONDS);
                }
            } finally {
                writers.shutdownNow();
            }
            byte[] total = cluster.node(0).catalog().get("counters", "hits").get(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals(WRITERS * INCREMENTS_EACH, Integer.parseInt(new String(total, StandardCharsets.UTF_8)),
                    "increments lost (conflicts retried: " + conflicts.get() + ")");
        }
    }

    private static void increment(Catalog catalog, AtomicInteger conflicts) throws Exception {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            byte[] read = catalog.get("counters", "hits").get(30, TimeUnit.SECONDS).orElseThrow();
            int next = Integer.parseInt(new String(read, StandardCharsets.UTF_8)) + 1;
            if (catalog.replaceIf("counters", "hits", read, bytes(String.valueOf(next))).get(30, TimeUnit.SECONDS)) {
                return;
            }
            conflicts.incrementAndGet();
        }
        throw new AssertionError("an increment kept conflicting for 1,000 attempts");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
