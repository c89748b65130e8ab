package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.testing.CatalogCounts;
import dev.sluice.raftstore.testing.CatalogWriter;
import dev.sluice.raftstore.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("fault")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessCrashIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesSigkillOfTheNodeProcess() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 1, 1, 2_000)) {
            cluster.startAll();
            Set<String> acknowledged;
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(5))) {
                CatalogWriter writer = new CatalogWriter(new Catalog(client), "crash", 64);
                writer.awaitAcknowledged(500, Duration.ofSeconds(60));
                Thread.sleep(1_000);
                cluster.kill(0); // SIGKILL while writes are in flight
                writer.stopAndDrain(64, 30);
                acknowledged = writer.acknowledged();
            }
            cluster.restart(0);
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                Set<String> found = CatalogCounts.keys(new Catalog(client), "crash", null);
                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(found);
                System.out.printf("process crash: acknowledged=%d found=%d lost=%d%n", acknowledged.size(), found.size(), lost.size());
                assertTrue(acknowledged.size() > 100, "the writer made progress: " + acknowledged.size() + cluster.logTails());
                assertTrue(lost.isEmpty(), "lost acknowledged writes: " + lost.size() + " e.g. " + lost.stream().limit(5).toList());
            }
        }
    }
}
