package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry linger of {@link GroupClient}: commands that wait when an entry completes wait for more, up to the linger,
 * so that they leave as one entry; enough of them end the linger at once; with nothing waiting nothing lingers. The
 * linger here is long (seconds) so that the test's own steps fit inside it on a busy machine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EntryLingerIT {
    private static final Duration LINGER = Duration.ofSeconds(3);
    private static final int LINGER_COMMANDS = 3;

    @TempDir
    Path dir;

    @Test
    void commandsArrivingWhileTheNextEntryLingersTravelInIt() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (GroupClient client = new GroupClient(StoreGroups.CATALOG, List.of(cluster.peer(0)), lingering(),
                    meters)) {
                Catalog catalog = new Catalog(client);
                catalog.put("linger", "warm", value()).get(30, TimeUnit.SECONDS);
                DistributionSummary perEntry = meters.get("sluice.raft.entry.commands").summary();
                long entriesBefore = perEntry.count();

                // A leaves at once; B waits behind it. When A completes, B alone waits: fewer than 3, so it lingers.
                CompletableFuture<Boolean> a = catalog.put("linger", "a", value());
                CompletableFuture<Boolean> b = catalog.put("linger", "b", value());
                a.get(30, TimeUnit.SECONDS);
                CompletableFuture<Boolean> c = catalog.put("linger", "c", value());
                long thirdArrived = System.nanoTime();
                CompletableFuture<Boolean> d = catalog.put("linger", "d", value());
                CompletableFuture.allOf(b, c, d).get(30, TimeUnit.SECONDS);
                long lingeredAfterThird = System.nanoTime() - thirdArrived;

                assertEquals(2, perEntry.count() - entriesBefore, "A alone, then B, C and D in one entry");
                assertEquals(3.0, perEntry.max(), "the lingering entry carried B, C and D");
                assertTrue(lingeredAfterThird < LINGER.toNanos() / 2,
                        "the third waiting command ended the linger at once, not after it ("
                                + TimeUnit.NANOSECONDS.toMillis(lingeredAfterThird) + " ms)");
            }
        }
    }

    @Test
    void aCommandWithNothingWaitingBehindAnEntryLeavesAtOnce() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            try (GroupClient client = new GroupClient(StoreGroups.CATALOG, List.of(cluster.peer(0)), lingering(),
                    new SimpleMeterRegistry())) {
                Catalog catalog = new Catalog(client);
                catalog.put("linger", "warm", value()).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    long started = System.nanoTime();
                    catalog.put("linger", "alone-" + i, value()).get(30, TimeUnit.SECONDS);
                    long took = System.nanoTime() - started;
                    assertTrue(took < LINGER.toNanos() / 2, "a lone command lingered: "
                            + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
                }
            }
        }
    }

    private static GroupClientSettings lingering() {
        return new GroupClientSettings(1, 4 * 1024 * 1024, Duration.ofSeconds(30), 64, Duration.ofSeconds(2), LINGER,
                LINGER_COMMANDS);
    }

    private static byte[] value() {
        return "v".getBytes(StandardCharsets.UTF_8);
    }
}
