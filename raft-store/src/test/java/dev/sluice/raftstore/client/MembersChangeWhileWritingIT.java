package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group client pointed at new members while requests are on their way (the cluster layout changed: a node added or
 * removed) still answers every request it accepted: the Ratis client it replaces must not be closed under a request
 * that took it just before the swap. Closed at once, such a request failed ("RaftClientImpl ... is closed"), and the
 * caller saw a write its replicas "could not confirm" during an operator's membership change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MembersChangeWhileWritingIT {
    private static final int SWAPS = 60;
    private static final int WRITES_PER_SWAP = 8;

    @TempDir
    Path dir;

    @Test
    void requestsOnTheirWayWhenTheMembersChangeAllComplete() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(1).dataGroups(1).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            Peer member = cluster.peer(0);
            // A second member that does not answer: the client's member set changes, the group does not.
            Peer absent = new Peer("n9", "127.0.0.1", 1);
            try (GroupClient client = new GroupClient("data-0", List.of(member), RaftStoreConfigDefaults.SETTINGS,
                    new SimpleMeterRegistry())) {
                Catalog catalog = new Catalog(client);
                catalog.put("swap", "warm", value()).get(30, TimeUnit.SECONDS);
                List<CompletableFuture<Boolean>> writes = new ArrayList<>();
                for (int swap = 0; swap < SWAPS; swap++) {
                    for (int i = 0; i < WRITES_PER_SWAP; i++) {
                        writes.add(catalog.put("swap", swap + "-" + i, value()));
                    }
                    client.useMembers(swap % 2 == 0 ? List.of(member, absent) : List.of(member));
                }
                List<String> failed = new ArrayList<>();
                for (CompletableFuture<Boolean> write : writes) {
                    try {
                        write.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failed.add(String.valueOf(e.getCause()));
                    }
                }
                assertEquals(List.of(), failed.stream().distinct().toList(), failed.size() + " of " + writes.size() + " failed");
            }
        }
    }

    private static byte[] value() {
        return "v".getBytes(StandardCharsets.UTF_8);
    }

    private static final class RaftStoreConfigDefaults {
        static final GroupClientSettings SETTINGS = dev.sluice.raftstore.RaftStoreConfig.defaults().groupClientSettings();
    }
}
