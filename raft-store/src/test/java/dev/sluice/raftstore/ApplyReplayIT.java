package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ApplyReplayIT {
    private static final int COMMANDS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandCommandsReplayToIdenticalStateAfterRestart() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            writeCommands(cluster.node(0).catalog());
            String before = digest(cluster.node(0).catalog());

            cluster.restart(0);
            cluster.awaitLeader(Duration.ofSeconds(30));

            assertEquals(before, digest(cluster.node(0).catalog()));
        }
    }

    @Test
    void snapshotRestoresTheSameStateWhenTheLiveStoreIsLost() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).snapshotThresholdEntries(500).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            writeCommands(cluster.node(0).catalog());
            String before = digest(cluster.node(0).catalog());
            Path stateDirectory = cluster.config(0).dataDirectory().resolve("state");
            Path raftDirectory = cluster.config(0).dataDirectory().resolve("raft");

            cluster.kill(0);
            assertTrue(countSnapshots(raftDirectory) > 0, "a snapshot was taken");
            deleteRecursively(stateDirectory);
            cluster.restart(0);
            cluster.awaitLeader(Duration.ofSeconds(30));

            assertEquals(before, digest(cluster.node(0).catalog()));
        }
    }

    /** Concurrent overwrites, inserts and deletes, so that order matters for the final state. */
    static void writeCommands(Catalog catalog) throws Exception {
        List<CompletableFuture<Boolean>> pending = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            String key = "k" + (i % 3_000);
            if (i % 7 == 0) {
                pending.add(catalog.delete("replay", key));
            } else {
                pending.add(catalog.put("replay", key, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            if (pending.size() == 200) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    static String digest(Catalog catalog) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String after = null;
        int count = 0;
        while (true) {
            Catalog.Page page = catalog.scan("replay", "", after, 1000).get(30, TimeUnit.SECONDS);
            for (Catalog.Entry entry : page.entries()) {
                sha.update(entry.key().getBytes(StandardCharsets.UTF_8));
                sha.update(entry.value());
                after = entry.key();
                count++;
            }
            if (!page.more()) {
                return count + ":" + HexFormat.of().formatHex(sha.digest());
            }
        }
    }

    private static long countSnapshots(Path raftDirectory) throws Exception {
        try (Stream<Path> walk = Files.walk(raftDirectory)) {
            return walk.filter(path -> path.getFileName().toString().startsWith("snapshot.")).count();
        }
    }

    private static void deleteRecursively(Path path) throws Exception {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
