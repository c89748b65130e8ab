package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.client.GroupClientSettings;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group still forming (its founder alone) refuses commands and linearizable reads with an answer, not a fault: a
 * client on another node (the founder is a remote leader) keeps its Ratis client for the requests it has in flight, so
 * every write and read sent meanwhile is answered once the group forms. Replacing the Ratis client on each refusal
 * (as on a request Ratis gave up on) closed it under the other requests, which then failed as "closed" or never
 * completed at all: the refusal completes on a gRPC thread inside the Ratis client's ordered window, and closing the
 * client there waited for that thread itself, so the window, the thread and every later sender through the client
 * blocked for good (a non-founder's function bridge waited on such a read for ever, ClusterConsoleDataIT).
 */
// A separate thread: the deadlock this guards against blocks the sending thread on a monitor, which no interrupt ends.
@Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FormingGroupClientIT {
    private static final int REQUESTS = 20;

    @TempDir
    Path dir;

    @Test
    void writesAndReadsSentThroughAnotherNodeWhileTheGroupFormsAreAllAnsweredOnceItHasFormed() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(1).started(1).baseDirectory(dir).start()) {
            awaitLeaderAlone(cluster);
            GroupClientSettings patient = new GroupClientSettings(4, 4 * 1024 * 1024, Duration.ofSeconds(60), 1024,
                    Duration.ofSeconds(1));
            try (GroupClient client = new GroupClient(StoreGroups.CATALOG, List.of(cluster.peer(0)), patient,
                    new SimpleMeterRegistry())) {
                Catalog catalog = new Catalog(client);
                List<CompletableFuture<Boolean>> writes = new ArrayList<>();
                List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    writes.add(catalog.put("forming", "k" + i, bytes("v" + i)));
                    reads.add(catalog.get("forming", "k" + i));
                    Thread.sleep(100);
                }
                cluster.restart(1); // n2 starts: the controller adds it, and two of three vote
                for (int i = 0; i < REQUESTS; i++) {
                    answer(writes.get(i), "write " + i);
                    answer(reads.get(i), "read " + i);
                }
                for (int i = 0; i < REQUESTS; i++) {
                    assertEquals("v" + i, new String(catalog.get("forming", "k" + i).get(60, TimeUnit.SECONDS).orElseThrow(),
                            StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void awaitLeaderAlone(MiniCluster cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cluster.node(0).raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getInfo().isLeaderReady()) {
            if (System.nanoTime() > deadline) {
                fail("n1 never led the catalog alone");
            }
            Thread.sleep(50);
        }
    }

    private static <T> T answer(CompletableFuture<T> request, String what) throws Exception {
        try {
            return request.get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " sent while the group formed failed", e.getCause());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
