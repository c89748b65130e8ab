package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.RaftServers;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.codec.ProposalCodec;
import dev.sluice.raftstore.testing.MiniCluster;
import dev.sluice.raftstore.testing.RatisClientExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which way a write takes into this node's division: directly only on GroupClient's replies thread; from any other
 * thread (here an interrupted one) through Ratis's client executor, which leaves the caller's interrupt with the caller
 * instead of letting it reach Ratis's log append (InterruptedLocalCallerIT says why that matters). The writes are empty
 * proposals: applied as entries without commands.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalDivisionSubmitIT {
    private final ClientId clientId = ClientId.randomId();

    @TempDir
    Path dir;

    @Test
    void aWriteEntersTheDivisionDirectlyOnlyFromTheRepliesThread() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftServer server = RaftServers.of(cluster.node(0));

            Thread.currentThread().interrupt(); // left by a continuation: cleared, and the write goes in
            long before = tasksTaken(server);
            CompletableFuture<RaftClientReply> direct = new LocalDivisionSubmit(server, () -> true).submit(emptyWrite(server, 1));
            assertEquals(0, tasksTaken(server) - before, "requests Ratis's client executor took for the direct write");
            assertFalse(Thread.interrupted(), "the replies thread's stale interrupt was cleared before Ratis's append");
            assertTrue(reply(direct).isSuccess(), "direct write: " + direct);

            Thread.currentThread().interrupt();
            before = tasksTaken(server);
            CompletableFuture<RaftClientReply> viaRatis = new LocalDivisionSubmit(server, () -> false)
                    .submit(emptyWrite(server, 2));
            assertTrue(tasksTaken(server) - before >= 1, "Ratis's client executor took the other thread's write");
            assertTrue(Thread.interrupted(), "the caller's interrupt is left with the caller");
            assertTrue(reply(viaRatis).isSuccess(), "write through Ratis: " + viaRatis);
        }
    }

    private static long tasksTaken(RaftServer server) throws Exception {
        return RatisClientExecutor.tasksTaken(server, StoreGroups.groupId(StoreGroups.CATALOG));
    }

    private RaftClientRequest emptyWrite(RaftServer server, long callId) {
        Message proposal = Message.valueOf(UnsafeByteOperations.unsafeWrap(ProposalCodec.encode(List.of())));
        return RaftClientRequest.newBuilder().setClientId(clientId).setServerId(server.getId())
                .setGroupId(StoreGroups.groupId(StoreGroups.CATALOG)).setCallId(callId).setMessage(proposal)
                .setType(RaftClientRequest.writeRequestType()).build();
    }

    private static RaftClientReply reply(CompletableFuture<RaftClientReply> sent) throws Exception {
        return sent.get(30, TimeUnit.SECONDS);
    }
}
