package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default settings a group client keeps one entry in flight: a burst of commands goes out as the first alone
 * and the rest together in the next entry once it is answered. Every entry costs Ratis's per-entry work, an fsync and
 * thread hand-offs, so fewer, fuller entries are what a busy node saves CPU on (benchmarks/RESULTS.md, sessions 17 and
 * 21: four in flight made ~0.95 entries per SQS request under load, two 0.62, one ~0.4).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefaultGroupCommitIT {
    private static final int BURST = 16;

    @TempDir
    Path dir;

    @Test
    void aBurstOfCommandsTakesTheEntryInFlightAndOneSharedEntryAfterIt() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (GroupClient client = new GroupClient(StoreGroups.CATALOG, List.of(cluster.peer(0)),
                    RaftStoreConfig.defaults().groupClientSettings(), meters)) {
                Catalog catalog = new Catalog(client);
                catalog.put("warm", "up", bytes("v")).get(30, TimeUnit.SECONDS);
                DistributionSummary entries = meters.get("sluice.raft.entry.commands").summary();
                long entriesBefore = entries.count();

                List<CompletableFuture<Boolean>> burst = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    burst.add(catalog.put("burst", "k" + i, bytes("v")));
                }
                for (CompletableFuture<Boolean> put : burst) {
                    put.get(30, TimeUnit.SECONDS);
                }

                // 1 alone, then the 15 that waited in one entry: 2 (one more if this thread was descheduled before the
                // burst was queued whole); two in flight make at least 3 (2 alone and the 14 that waited).
                long taken = entries.count() - entriesBefore;
                assertTrue(taken >= 2 && taken <= 3, "entries for a burst of " + BURST + ": " + taken);
                // The bound alone overlaps two in flight's undisturbed count; the setting tells them apart.
                assertEquals(1, RaftStoreConfig.defaults().groupClientSettings().maxInflightProposals());
                // A saturated group's next entry lingers for fuller entries (EntryLingerIT; RESULTS, session 22).
                assertEquals(Duration.ofNanos(300_000), RaftStoreConfig.defaults().groupClientSettings().entryLinger());
                assertEquals(6, RaftStoreConfig.defaults().groupClientSettings().lingerCommands());
                assertEquals(BURST, catalog.scan("burst", "", null, 100).get(30, TimeUnit.SECONDS).entries().size());
            }
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
