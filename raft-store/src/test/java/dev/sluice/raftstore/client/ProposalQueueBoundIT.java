package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProposalQueueBoundIT {
    private static final int BOUND = 8;
    private static final int SUBMITS = 2_000;

    @TempDir
    Path dir;

    @Test
    void submitsBeyondTheBoundFailAtOnceAsBusyWhileEveryAcceptedOneCommits() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            // One entry in flight at a time, so a burst piles up behind it.
            GroupClientSettings tiny = new GroupClientSettings(1, 4 * 1024 * 1024, Duration.ofSeconds(30), BOUND,
                    Duration.ofSeconds(2));
            try (GroupClient client = new GroupClient(StoreGroups.CATALOG, List.of(cluster.peer(0)), tiny,
                    new SimpleMeterRegistry())) {
                Catalog catalog = new Catalog(client);
                List<CompletableFuture<Boolean>> accepted = new ArrayList<>();
                List<String> acceptedKeys = new ArrayList<>();
                int refusedAtOnce = 0;
                for (int i = 0; i < SUBMITS; i++) {
                    CompletableFuture<Boolean> put = catalog.put("bound", "k" + i, "v".getBytes(StandardCharsets.UTF_8));
                    if (put.isCompletedExceptionally()) {
                        Throwable cause = cause(put);
                        assertTrue(cause instanceof StoreBusyException, "refused with " + cause);
                        refusedAtOnce++;
                    } else {
                        accepted.add(put);
                        acceptedKeys.add("k" + i);
                    }
                }
                assertTrue(refusedAtOnce > 0, "a burst of " + SUBMITS + " over a bound of " + BOUND + " was never refused");
                assertTrue(accepted.size() >= BOUND, "accepted " + accepted.size());
                for (CompletableFuture<Boolean> put : accepted) {
                    put.get(30, TimeUnit.SECONDS); // every accepted command commits
                }
                Catalog.Page stored = catalog.scan("bound", "", null, SUBMITS).get(30, TimeUnit.SECONDS);
                assertEquals(acceptedKeys.stream().sorted().toList(),
                        stored.entries().stream().map(Catalog.Entry::key).toList(),
                        "exactly the accepted commands were applied, none of the refused ones");
            }
        }
    }

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
