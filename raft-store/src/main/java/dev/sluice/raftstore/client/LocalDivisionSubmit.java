package dev.sluice.raftstore.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;

/**
 * Hands a client request to this node's own replica of a group: a read on the calling thread, a write on the calling
 * thread only when that is GroupClient's replies thread, any other write as Ratis takes it.
 *
 * <p>{@link RaftServer#submitClientRequestAsync} (Ratis 3.3.0) passes each request to the server's client executor
 * and blocks the caller ({@code supplyAsync(...).join()}) until that thread has taken it: two thread hops for no
 * gain, since the caller waits either way. Ratis's division (its {@code RaftServerImpl}) is itself a
 * {@link RaftClientAsynchronousProtocol} that does the same work (leader check, retry cache, append) without the
 * hand-off, and reads take that way. A write appends to the log worker's queue, and when that queue is full Ratis
 * waits for room in a way an interrupt breaks, and then closes the whole division (this node leaves the group until
 * it restarts). So a write enters the division directly only on a thread no caller can interrupt: GroupClient's
 * replies thread, which nobody but GroupClient holds and which is shut down without interrupting it. Its interrupt
 * flag is cleared first, as a thread pool clears it between tasks: a caller's continuation run on it (futures complete
 * there) may have set it, and it was never meant for the write. On any other thread (an in-process function
 * cancelled with {@code cancel(true)}, a pool's {@code shutdownNow}, FollowedLeaderSender's retry timer) the write
 * goes through Ratis's client executor, where the caller only waits in an uninterruptible {@code join()}
 * (InterruptedLocalCallerIT). GroupClient sends a write for the leading node from its replies thread whenever it can.
 *
 * <p>Threads: safe for concurrent use.
 */
final class LocalDivisionSubmit {
    private final RaftServer server;
    /** Whether the calling thread is GroupClient's replies thread, which no caller can interrupt. */
    private final BooleanSupplier onRepliesThread;

    LocalDivisionSubmit(RaftServer server, BooleanSupplier onRepliesThread) {
        this.server = server;
        this.onRepliesThread = onRepliesThread;
    }

    CompletableFuture<RaftClientReply> submit(RaftClientRequest request) throws IOException {
        boolean write = !request.isReadOnly();
        if (write && !onRepliesThread.getAsBoolean()) {
            return server.submitClientRequestAsync(request);
        }
        RaftServer.Division division = server.getDivision(request.getRaftGroupId());
        if (!(division instanceof RaftClientAsynchronousProtocol direct)) {
            return server.submitClientRequestAsync(request); // another Ratis: its own way in
        }
        if (write) {
            Thread.interrupted();
        }
        return direct.submitClientRequestAsync(request);
    }
}
