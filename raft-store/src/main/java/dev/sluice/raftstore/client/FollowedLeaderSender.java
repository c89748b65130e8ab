package dev.sluice.raftstore.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.server.RaftServer;

/**
 * Sends a request of a node that hosts the group to the leader its own replica follows: to this node's server
 * directly while it leads, else over gRPC to the leader it names ({@link NextPeer} says whom when that fails). Every
 * attempt of one request carries the same client id and call id, so a request the old leader had appended before it
 * died is answered from the new leader's retry cache instead of being applied twice: a new leader answers writes only
 * once it has applied every entry of earlier terms ({@link LeaderNotReadyException} until then), and applying an
 * entry records its client and call id in the retry cache on every member. Ratis's own client resends under the same
 * ids in the same way; this sender only chooses the member better.
 *
 * <p>Attempts end by Ratis's attempt timeout (remote) or the leader's answer (local); the request ends with the last
 * failure once {@code timeout} has passed. The first attempt runs on the thread that calls {@link #send}, later ones on
 * this sender's timer thread; a local write enters the division directly only from GroupClient's replies thread and
 * through Ratis's client executor from any other ({@link LocalDivisionSubmit}), under the same ids either way.
 *
 * <p>Threads: safe for concurrent use; futures complete on Ratis's threads or on the shared delayed executor.
 */
final class FollowedLeaderSender {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FollowedLeaderSender.class);
    /** How long to wait before looking again when no member is worth asking yet (an election is running). */
    private static final long POLL_MILLIS = 20;

    private final RaftGroupId groupId;
    private final RaftServer localServer;
    /** Enters this node's division: a write directly only on GroupClient's replies thread (its javadoc says why). */
    private final LocalDivisionSubmit localDivision;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /** The current Ratis client's transport (replaced with it when the members change): reaches the members. */
    private final Supplier<RaftClientRpc> rpc;
    private final Supplier<List<String>> members;
    private final Duration attemptTimeout;
    /**
     * Runs the next attempt after a pause: a thread of its own, not the common pool, which has one thread on a
     * 2-core machine and is shared with everything else in the JVM.
     */
    private final ScheduledExecutorService timers;

    FollowedLeaderSender(RaftGroupId groupId, RaftServer localServer, LocalDivisionSubmit localDivision,
            Supplier<RaftClientRpc> rpc, Supplier<List<String>> members, Duration attemptTimeout) {
        this.groupId = groupId;
        this.localServer = localServer;
        this.localDivision = localDivision;
        this.rpc = rpc;
        this.members = members;
        this.attemptTimeout = attemptTimeout;
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-" + groupId + "-attempts");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Stops scheduling attempts; requests still waiting for one fail. */
    void close() {
        timers.shutdownNow();
    }

    /** Whether this node has a replica of the group to follow (else the caller uses the Ratis client). */
    boolean hasReplica() {
        try {
            localServer.getDivision(groupId);
            return true;
        } catch (IOException noReplicaHere) {
            return false;
        }
    }

    /** Sends {@code message} as a {@code type} request until a member answers it or {@code timeout} passes. */
    CompletableFuture<RaftClientReply> send(Message message, RaftClientRequest.Type type, Duration timeout) {
        Exchange exchange = new Exchange(message, type, callIds.incrementAndGet(), System.nanoTime() + timeout.toNanos(),
                new NextPeer(members.get(), attemptTimeout.toNanos()));
        exchange.attempt();
        return exchange.result;
    }

    /** The leader this node's replica follows (itself while it leads), or null during an election or without one. */
    private String replicaLeader() {
        try {
            RaftPeerId leader = localServer.getDivision(groupId).getInfo().getLeaderId();
            return leader == null ? null : leader.toString();
        } catch (IOException noReplicaHere) {
            return null;
        }
    }

    /** One request's attempts, one at a time. */
    private final class Exchange {
        final CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        private final Message message;
        private final RaftClientRequest.Type type;
        private final long callId;
        private final long deadline;
        private final NextPeer next;
        private Throwable lastFailure;
        private final long startedAt = System.nanoTime();
        /**
         * Each attempt, "+ms target outcome", for the debug line of a slow request (where its time went); null unless
         * debug logging is on, so a request allocates no builder for a line nobody reads.
         */
        private final StringBuilder trail = LOG.isDebugEnabled() ? new StringBuilder() : null;

        Exchange(Message message, RaftClientRequest.Type type, long callId, long deadline, NextPeer next) {
            this.message = message;
            this.type = type;
            this.callId = callId;
            this.deadline = deadline;
            this.next = next;
        }

        void attempt() {
            long now = System.nanoTime();
            if (now >= deadline) {
                result.completeExceptionally(lastFailure != null ? lastFailure
                        : new IOException(groupId + ": no leader answered within the request timeout"));
                return;
            }
            String target = next.choose(replicaLeader(), now);
            if (target == null) {
                later();
                return;
            }
            RaftPeerId peer = RaftPeerId.valueOf(target);
            RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(peer)
                    .setGroupId(groupId).setCallId(callId).setMessage(message).setType(type).build();
            if (peer.equals(localServer.getId())) {
                CompletableFuture<RaftClientReply> sent;
                try {
                    sent = localDivision.submit(request);
                } catch (IOException | RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                sent.whenComplete((reply, error) -> answered(target, reply, error));
                return;
            }
            RaftClientRpc transport = rpc.get();
            CompletableFuture<RaftClientReply> sent;
            try {
                sent = transport.sendRequestAsyncUnordered(request);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            // Bounded here too: Ratis's own attempt timer was seen to fire seconds late on a loaded machine.
            sent.orTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((reply, error) -> {
                if (error != null) {
                    reconnectAfter(transport, peer, unwrap(error));
                }
                answered(target, reply, error);
            });
        }

        /**
         * Replaces the stream to {@code peer} after it ended, as Ratis's client does on a failed attempt: Ratis ends a
         * peer's whole unordered stream on a dead peer and on any NotLeader or LeaderNotReady answer, and a stream once
         * ended fails every later request at once ("is closed"). A timed-out attempt leaves it: a slow peer's other
         * requests on it are still answered.
         */
        private void reconnectAfter(RaftClientRpc transport, RaftPeerId peer, Throwable failure) {
            if (!(failure instanceof TimeoutException || failure instanceof TimeoutIOException)) {
                transport.handleException(peer, failure, true);
            }
        }

        private void answered(String target, RaftClientReply reply, Throwable error) {
            if (trail != null) {
                trail.append(String.format(" +%d %s %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), target,
                        error != null ? unwrap(error).getClass().getSimpleName()
                                : reply.isSuccess() ? "ok" : reply.getException().getClass().getSimpleName()));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
                if (tookMillis > 500 && error == null && reply.isSuccess()) {
                    LOG.debug("{}: call {} answered after {} ms:{}", groupId, callId, tookMillis, trail);
                }
            }
            if (error == null && (reply.isSuccess() || !retryable(reply.getException()))) {
                result.complete(reply); // success, or a failure that another attempt would not change
                return;
            }
            Throwable failure = error == null ? reply.getException() : unwrap(error);
            lastFailure = failure;
            boolean timedOut = failure instanceof TimeoutException;
            if (failure instanceof GroupMismatchException || !(failure instanceof IOException || timedOut)) {
                result.completeExceptionally(failure);
                return;
            }
            if (failure instanceof NotLeaderException notLeader) {
                var suggested = notLeader.getSuggestedLeader();
                next.failed(target, suggested == null ? null : suggested.getId().toString(), System.nanoTime());
            } else if (!(failure instanceof LeaderNotReadyException || failure instanceof ResourceUnavailableException
                    || failure instanceof ReadIndexException || failure instanceof ReadException)) {
                next.failed(target, null, System.nanoTime()); // timed out, unreachable, stepping down
            }
            later();
        }

        private void later() {
            try {
                timers.schedule(this::attempt, POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                result.completeExceptionally(new IOException(groupId + ": client closed", lastFailure));
            }
        }
    }

    /** Failures a leader change causes; anything else (a state machine's own error) is the request's answer. */
    private static boolean retryable(RaftException exception) {
        return exception instanceof NotLeaderException || exception instanceof LeaderNotReadyException
                || exception instanceof LeaderSteppingDownException || exception instanceof ResourceUnavailableException
                || exception instanceof ReadIndexException || exception instanceof ReadException;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
