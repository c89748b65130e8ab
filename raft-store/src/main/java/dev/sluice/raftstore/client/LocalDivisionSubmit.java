package dev.sluice.raftstore.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;

/**
 * Hands a client request to this node's own replica of a group: a read on the calling thread, a write as Ratis takes
 * it.
 *
 * <p>{@link RaftServer#submitClientRequestAsync} (Ratis 3.3.0) passes each request to the server's client executor
 * and blocks the caller ({@code supplyAsync(...).join()}) until that thread has taken it: two thread hops for no
 * gain, since the caller waits either way. Ratis's division (its {@code RaftServerImpl}) is itself a
 * {@link RaftClientAsynchronousProtocol} that does the same work without the hand-off, and reads take that way.
 * Writes do not: a write appends to the log worker's queue, and when that queue is full Ratis waits for room in a way
 * an interrupt breaks, and then closes the whole division (this node leaves the group until it restarts). On Ratis's
 * client thread no caller's interrupt can reach that wait; on the caller's thread an in-process function cancelled
 * with {@code cancel(true)}, or an executor's {@code shutdownNow}, would (InterruptedLocalCallerIT).
 */
final class LocalDivisionSubmit {
    private LocalDivisionSubmit() {
    }

    static CompletableFuture<RaftClientReply> submit(RaftServer server, RaftClientRequest request) throws IOException {
        if (!request.isReadOnly()) {
            return server.submitClientRequestAsync(request);
        }
        RaftServer.Division division = server.getDivision(request.getRaftGroupId());
        if (division instanceof RaftClientAsynchronousProtocol direct) {
            return direct.submitClientRequestAsync(request);
        }
        return server.submitClientRequestAsync(request); // another Ratis: its own way in
    }
}
