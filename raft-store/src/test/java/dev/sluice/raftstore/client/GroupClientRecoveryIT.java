package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group client outlives a request Ratis gave up on. Ratis's ordered client refuses every request after one
 * failed for good ("SlidingWindow ... is closed"); a node's clients live as long as the node, so without a new
 * Ratis client one outage longer than the request timeout (or one answer "group not found" from a node without
 * the group) would leave them failing for good.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupClientRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void aClientWhoseRequestFailedForGoodWhileTheGroupWasDownServesRequestsOnceItIsBack() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(1).dataGroups(1).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            GroupClientSettings quick = new GroupClientSettings(4, 4 * 1024 * 1024, Duration.ofSeconds(2), 64,
                    Duration.ofMillis(500));
            try (GroupClient client = new GroupClient("data-0", List.of(cluster.peer(0)), quick, new SimpleMeterRegistry())) {
                Catalog catalog = new Catalog(client);
                catalog.put("recovery", "before", value()).get(30, TimeUnit.SECONDS);
                cluster.kill(0);
                assertThrows(ExecutionException.class, () -> catalog.put("recovery", "down", value()).get(30, TimeUnit.SECONDS));
                cluster.restart(0);
                cluster.awaitLeader(Duration.ofSeconds(60));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try {
                        catalog.put("recovery", "after", value()).get(30, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException notYet) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("the client serves no request after the group came back", notYet);
                        }
                        Thread.sleep(200);
                    }
                }
                catalog.get("recovery", "before").get(30, TimeUnit.SECONDS).orElseThrow();
            }
        }
    }

    private static byte[] value() {
        return "v".getBytes(StandardCharsets.UTF_8);
    }
}
