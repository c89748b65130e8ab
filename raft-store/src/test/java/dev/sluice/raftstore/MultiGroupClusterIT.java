package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three in-JVM nodes hosting the catalog group and two data groups. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiGroupClusterIT {
    @TempDir
    Path dir;

    @Test
    void twoDataGroupsKeepSeparateStateAndTheCatalogWorksAcrossALeaderChange() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(2).baseDirectory(dir).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            int other = (leader + 1) % 3;

            // Data groups run the same engine type here (a catalog) but hold separate state.
            Catalog group0 = new Catalog(cluster.node(other).dataGroup(0));
            Catalog group1 = new Catalog(cluster.node(other).dataGroup(1));
            group0.put("ns", "k", bytes("zero")).get(30, TimeUnit.SECONDS);
            group1.put("ns", "k", bytes("one")).get(30, TimeUnit.SECONDS);
            assertArrayEquals(bytes("zero"), group0.get("ns", "k").get(30, TimeUnit.SECONDS).orElseThrow());
            assertArrayEquals(bytes("one"), group1.get("ns", "k").get(30, TimeUnit.SECONDS).orElseThrow());

            Catalog catalog = cluster.node(other).catalog();
            catalog.put("subscriptions", "a", bytes("1")).get(30, TimeUnit.SECONDS);
            catalog.put("subscriptions", "b", bytes("2")).get(30, TimeUnit.SECONDS);

            cluster.kill(leader);
            Catalog survivor = cluster.node(other).catalog();
            assertArrayEquals(bytes("1"), survivor.get("subscriptions", "a").get(30, TimeUnit.SECONDS).orElseThrow());
            assertTrue(survivor.delete("subscriptions", "a").get(30, TimeUnit.SECONDS));
            survivor.put("subscriptions", "c", bytes("3")).get(30, TimeUnit.SECONDS);
            assertEquals(2, survivor.scan("subscriptions", "", null, 10).get(30, TimeUnit.SECONDS).entries().size());
            assertArrayEquals(bytes("one"), new Catalog(cluster.node(other).dataGroup(1)).get("ns", "k")
                    .get(30, TimeUnit.SECONDS).orElseThrow());

            cluster.restart(leader);
            Catalog rejoined = cluster.node(leader).catalog();
            assertFalse(rejoined.get("subscriptions", "a").get(30, TimeUnit.SECONDS).isPresent());
            assertArrayEquals(bytes("3"), rejoined.get("subscriptions", "c").get(30, TimeUnit.SECONDS).orElseThrow());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
