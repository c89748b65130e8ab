package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node publishes its feature level before it is ready, and a node of a lower level than the cluster used refuses. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFeaturesIT {
    @TempDir
    Path dir;

    @Test
    void aNodeRestartedAtALowerLevelThanTheClusterUsedRefusesToServe() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            assertTrue(cluster.node(0).features().published(), "ready only once published");
            assertEquals(FeatureLevel.CURRENT, cluster.node(0).features().effectiveLevel().get(10, TimeUnit.SECONDS));
            assertEquals(FeatureLevel.CURRENT, cluster.node(0).clusterView().get(10, TimeUnit.SECONDS).effectiveFeatureLevel());
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(10), () -> cluster.node(0).catalog()
                    .get(ClusterFeatures.CLUSTER, ClusterFeatures.HIGHEST).join().isPresent(), () -> "highest level never stored");

            cluster.reconfigure(0, config -> config.withFeatureLevel(FeatureLevel.BASELINE));
            cluster.restart(0);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> !cluster.node(0).health().live(),
                    () -> "still live: " + cluster.node(0).health());
            StoreHealth refused = cluster.node(0).health();
            assertFalse(refused.ready());
            assertTrue(refused.problems().get("features").contains("downgrade is refused"), refused.toString());
        }
    }
}
