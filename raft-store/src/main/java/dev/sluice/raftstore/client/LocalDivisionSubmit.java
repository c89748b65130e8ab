package dev.sluice.raftstore.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;

/**
 * Hands a client request to this node's own replica of a group on the calling thread.
 *
 * <p>{@link RaftServer#submitClientRequestAsync} (Ratis 3.3.0) passes each request to the server's client executor
 * and blocks the caller ({@code supplyAsync(...).join()}) until that thread has appended it: two thread hops on every
 * local write and read for no gain, since the caller waits either way. Ratis's division (its {@code RaftServerImpl})
 * is itself a {@link RaftClientAsynchronousProtocol} that does the same work (leader check, retry cache, append)
 * without the hand-off; the reply future is completed by Ratis's threads exactly as before. Callers are never Ratis's
 * own threads (GroupClient keeps its callers off the apply thread), so nothing Ratis holds is held here.
 */
final class LocalDivisionSubmit {
    private LocalDivisionSubmit() {
    }

    static CompletableFuture<RaftClientReply> submit(RaftServer server, RaftClientRequest request) throws IOException {
        RaftServer.Division division = server.getDivision(request.getRaftGroupId());
        if (division instanceof RaftClientAsynchronousProtocol direct) {
            return direct.submitClientRequestAsync(request);
        }
        return server.submitClientRequestAsync(request); // another Ratis: its own way in
    }
}
