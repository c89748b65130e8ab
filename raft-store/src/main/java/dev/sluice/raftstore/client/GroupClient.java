package dev.sluice.raftstore.client;

import dev.sluice.raftstore.GroupNotFormedException;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.codec.ProposalCodec;
import dev.sluice.raftstore.trace.StageEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Writes and linearizable reads against one Raft group, from any node or from outside the cluster.
 *
 * <p>Group commit: while {@code maxInflightProposals} entries are in flight, new commands wait and
 * then travel together in the next entry (one append, one fsync, one RocksDB batch). At low load a
 * command goes out at once; under load entries grow, and with one entry in flight the next may linger briefly for
 * more commands ({@link GroupClientSettings#entryLinger}). Each caller's future completes with its own result. On a
 * node with a replica of the group, requests go to the leader that replica follows and are re-sent under the same
 * call id across elections ({@link FollowedLeaderSender}); elsewhere the Ratis client finds the leader. Either retries
 * within the request timeout.
 *
 * <p>Bounded: at most {@code maxWaitingCommands} commands wait for an entry; beyond that {@link #submit}
 * fails at once with {@link StoreBusyException}, so a slow group sheds load instead of queueing requests
 * that would time out anyway (with their memory held).
 *
 * <p>Threads: safe for concurrent use; futures complete on the group's replies thread ({@link RepliesThread}). While
 * this node leads the group, entries are sent from that thread too, where they enter the division directly
 * ({@link LocalDivisionSubmit}); see {@link #sendAfterSubmit}.
 */
public final class GroupClient implements AutoCloseable {
    /** Upper bounds of the commit-latency histogram's buckets. */
    private static final Duration[] COMMIT_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);
    /** Pause before a read is retried, and before a write the leader refused as not formed is sent again. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupClient.class);
    /** For {@link #logUnconfirmed}: when it last wrote (System.nanoTime, 0 before the first) and entries since. */
    private final AtomicLong lastFailureLog = new AtomicLong();
    private final AtomicLong unconfirmedSinceLog = new AtomicLong();

    private final String groupName;
    private final RaftGroupId groupId;
    private final RaftServer localServer;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong localCallIds = new AtomicLong();
    /** One thread per group: callers' continuations run here, in commit order, and entries for a local leader leave here. */
    private final RepliesThread callbacks;
    /** This node's own replica of the group, when it has one; null on a client outside the cluster. */
    private final LocalDivisionSubmit localDivision;
    /**
     * Replaced, never repaired: once one of its requests fails for good (retries spent, or a node that does not host
     * the group answered), Ratis's ordered client refuses every later request ("SlidingWindow ... is closed").
     */
    private volatile RaftClient raft;
    /** The nodes {@link #raft} was built for; guarded by this. */
    private List<Peer> peers;
    /** Clients built so far; picks which peer a replacement tries first. Guarded by this. */
    private int generation;
    private final GroupClientSettings settings;
    private final Timer commitLatency;
    private final DistributionSummary commandsPerEntry;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inflight;
    /** A send is handed to the replies thread and has not started yet ({@link #sendAfterSubmit}); guarded by this. */
    private boolean sendHandedOff;
    /** The replies thread while it lingers for more commands ({@link #lingerForMoreCommands}); guarded by this. */
    private Thread lingering;
    private volatile boolean closed;
    /** Clients replaced by {@link #useMembers}, open until the requests sent through them have had their time. */
    private final java.util.Set<RaftClient> retiring = new java.util.HashSet<>();
    /** Sends to the leader this node's replica follows; null on a client outside the cluster. */
    private final FollowedLeaderSender followedLeader;

    private record Pending(byte[] command, CompletableFuture<ByteBuffer> result, long queuedAt) {
        Pending(byte[] command, CompletableFuture<ByteBuffer> result) {
            this(command, result, System.nanoTime());
        }
    }

    /**
     * The most bytes of commands one proposal packs ({@link GroupClientSettings#maxProposalBytes}): a command larger than
     * this still goes alone, but the store refuses an entry past this plus its framing room, so a caller that builds
     * commands of many parts keeps each within it.
     */
    public int maxProposalBytes() {
        return settings.maxProposalBytes();
    }

    public GroupClient(String groupName, List<Peer> members, GroupClientSettings settings, MeterRegistry meters) {
        this(groupName, members, settings, meters, null);
    }

    /**
     * @param localServer this node's Ratis server when it hosts the group, or null: while it leads
     *     the group, proposals and reads go to it directly instead of through a gRPC round trip
     */
    public GroupClient(String groupName, List<Peer> members, GroupClientSettings settings, MeterRegistry meters,
            RaftServer localServer) {
        this.groupName = groupName;
        this.groupId = StoreGroups.groupId(groupName);
        this.localServer = localServer;
        this.callbacks = new RepliesThread(groupName);
        this.localDivision = localServer == null ? null : new LocalDivisionSubmit(localServer, callbacks::isCurrent);
        this.settings = settings;
        this.peers = List.copyOf(members);
        this.raft = newRaftClient(peers, null);
        this.followedLeader = localServer == null ? null : new FollowedLeaderSender(groupId, localServer, localDivision,
                () -> raft.getClientRpc(), this::memberIds, settings.attemptTimeout());
        this.commitLatency = Timer.builder("sluice.raft.commit").description("Proposal to applied result, per Raft entry")
                .tag("group", groupName)
                // Fixed Prometheus buckets: cheap per entry and aggregatable across nodes, unlike client-side percentiles.
                .serviceLevelObjectives(COMMIT_BUCKETS).register(meters);
        this.commandsPerEntry = DistributionSummary.builder("sluice.raft.entry.commands")
                .description("Commands packed into one Raft entry").tag("group", groupName).register(meters);
    }

    private RaftClient newRaftClient(List<Peer> members, String firstTried) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS));
        var builder = RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(StoreGroups.group(groupName, members))
                .setClientId(ClientId.randomId())
                .setRetryPolicy(retryPolicy(settings.requestTimeout()));
        if (firstTried != null) {
            builder.setLeaderId(RaftPeerId.valueOf(firstTried));
        }
        return builder.build();
    }

    /**
     * How the Ratis client sends a request again: every 100 ms, and never once {@code requestTimeout} has passed since
     * the request was made. A count of attempts alone (each up to the attempt timeout) let a request go on for minutes
     * after its caller was told it failed; past the longest request timeout the leader's retry cache (kept 5 s longer,
     * RaftStoreNode) may have let go of the reply, and the command would be applied a second time.
     */
    static RetryPolicy retryPolicy(Duration requestTimeout) {
        TimeDuration timeout = TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        RetryPolicy everyTenthSecond = RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));
        RequestTypeDependentRetryPolicy.Builder policy = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
            policy.setRetryPolicy(type, everyTenthSecond).setTimeout(type, timeout);
        }
        return policy.build();
    }

    public String groupName() {
        return groupName;
    }

    /**
     * Points the client at the group's members as the cluster layout has them (called when the layout changes):
     * a client that knows only nodes without the group fails each request with "group not found". Nothing
     * happens when the members are the ones it has.
     */
    public void useMembers(List<Peer> members) {
        if (members.isEmpty()) {
            return;
        }
        RaftClient old;
        synchronized (this) {
            if (closed || new java.util.HashSet<>(members).equals(new java.util.HashSet<>(peers))) {
                return;
            }
            old = raft;
            peers = List.copyOf(members);
            raft = newRaftClient(peers, firstTried());
            retiring.add(old);
        }
        LOG.debug("{}: client now reaches {}", groupName, members);
        // Requests that took the old client just before the swap are still on their way through it: closed now, they
        // failed ("... is closed") though the group was fine. It works until they have had their whole time.
        CompletableFuture.delayedExecutor(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
                .execute(() -> retire(old));
    }

    private void retire(RaftClient old) {
        synchronized (this) {
            if (!retiring.remove(old)) {
                return;
            }
        }
        closeQuietly(old);
    }

    /**
     * Builds a fresh Ratis client after {@code failed} gave up on a request (its ordered window is closed for
     * good). Several requests failing together replace it once.
     */
    private void replaceAfterFailure(RaftClient failed) {
        synchronized (this) {
            if (closed || raft != failed) {
                return;
            }
            raft = newRaftClient(peers, firstTried());
        }
        closeLater(failed);
    }

    /**
     * Closes a replaced client on another thread: the failure that replaced it may complete on a gRPC thread inside
     * the client's ordered window (its lock held), and closing waits for that very thread to finish its calls. Closed
     * there, the thread and the window stayed blocked for good, and so did every thread that sent through the client.
     */
    private void closeLater(RaftClient replaced) {
        CompletableFuture.runAsync(() -> closeQuietly(replaced));
    }

    /**
     * Which member a new client asks first: the leader this node's own replica follows, when it has one; else the
     * members in turn, so that a member which keeps failing (its replica not created yet) is not asked first again.
     */
    private String firstTried() {
        String leader = localLeader();
        if (leader != null && peers.stream().anyMatch(peer -> peer.id().equals(leader))) {
            return leader;
        }
        return peers.get(Math.floorMod(++generation, peers.size())).id();
    }

    private synchronized List<String> memberIds() {
        return peers.stream().map(Peer::id).toList();
    }

    private String localLeader() {
        if (localServer == null) {
            return null;
        }
        try {
            RaftPeerId leader = localServer.getDivision(groupId).getInfo().getLeaderId();
            return leader == null ? null : leader.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing a replaced Raft client failed", groupName, e);
        }
    }

    /**
     * Sends with the current Ratis client, replacing it when the request fails for good. A leader's answer that Ratis's
     * client turns into a failed future (a StateMachineException: a group still forming refuses) is no such failure:
     * its ordered window took the reply, so the client stays.
     */
    private CompletableFuture<RaftClientReply> withClient(java.util.function.Function<RaftClient, CompletableFuture<RaftClientReply>> send) {
        RaftClient client = raft;
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = send.apply(client);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((reply, error) -> {
            if (error != null && !answeredByStateMachine(error)) {
                replaceAfterFailure(client);
            }
        });
    }

    private static boolean answeredByStateMachine(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StateMachineException) {
                return true;
            }
        }
        return false;
    }

    /** Proposes one command frame; completes with the engine's result once it is committed and applied. */
    public CompletableFuture<ByteBuffer> submit(byte[] commandFrame) {
        CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                result.completeExceptionally(new StoreUnavailableException(groupName + " client is closed", null));
                return result;
            }
            if (waiting.size() >= settings.maxWaitingCommands()) {
                // Refused before proposing: the outcome is known (nothing applied), unlike a timeout.
                result.completeExceptionally(new StoreBusyException(groupName + ": " + waiting.size()
                        + " commands already wait for the next Raft entry"));
                return result;
            }
            waiting.add(new Pending(commandFrame, result));
            if (lingering != null && enoughWaitToEndLinger()) {
                LockSupport.unpark(lingering);
            }
        }
        sendAfterSubmit();
        return endByDeadline(result);
    }

    /**
     * A linearizable read served by the group's leader after it has applied every earlier write.
     * Reads are idempotent, so they are retried (leader unknown, read index not ready) until the
     * request timeout.
     */
    public CompletableFuture<ByteBuffer> query(byte[] request) {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        queryUntil(Message.valueOf(UnsafeByteOperations.unsafeWrap(request)), deadline, result);
        return endByDeadline(result);
    }

    /**
     * Fails {@code result} with a {@link java.util.concurrent.TimeoutException} (as {@link #submit} does) once the
     * request timeout and a second for the reply's way back have passed: a member that accepts connections and never
     * answers would keep one Ratis attempt after another waiting, minutes in all, and every caller with it.
     */
    private CompletableFuture<ByteBuffer> endByDeadline(CompletableFuture<ByteBuffer> result) {
        return result.orTimeout(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    private void queryUntil(Message request, long deadline, CompletableFuture<ByteBuffer> result) {
        sendRead(request).whenCompleteAsync((reply, error) -> {
            if (error == null && reply.isSuccess()) {
                result.complete(reply.getMessage().getContent().asReadOnlyByteBuffer());
            } else if (System.nanoTime() + RETRY_DELAY.toNanos() < deadline && !closed) {
                CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> queryUntil(request, deadline, result));
            } else {
                result.completeExceptionally(new StoreUnavailableException(groupName + ": read failed",
                        error != null ? error : reply.getException()));
            }
        }, callbacks);
    }

    /**
     * A read served from one node's replica without consulting the leader, once that replica has
     * applied at least {@code minIndex}: for checking that a follower caught up, and for reads SQS
     * itself calls approximate.
     */
    public CompletableFuture<ByteBuffer> queryReplica(String nodeId, long minIndex, byte[] request) {
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(request));
        CompletableFuture<RaftClientReply> sent;
        if (localServer != null && localServer.getId().toString().equals(nodeId)) {
            // This node's own replica: no RPC, and it works while the node is not (yet) known to the group's client.
            RaftClientRequest local = RaftClientRequest.newBuilder().setClientId(localClientId).setServerId(localServer.getId())
                    .setGroupId(groupId).setCallId(localCallIds.incrementAndGet()).setMessage(message)
                    .setType(RaftClientRequest.staleReadRequestType(minIndex)).build();
            try {
                sent = localDivision.submit(local);
            } catch (IOException | RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
        } else {
            sent = withClient(client -> client.async().sendStaleRead(message, minIndex, RaftPeerId.valueOf(nodeId)));
        }
        return endByDeadline(sent
                .handle((reply, error) -> {
                    if (error != null || !reply.isSuccess()) {
                        throw new StoreUnavailableException(groupName + ": replica read on " + nodeId + " failed",
                                error != null ? error : reply.getException());
                    }
                    return reply.getMessage().getContent().asReadOnlyByteBuffer();
                }));
    }

    /**
     * Changes the group's voting members (a Raft joint-consensus configuration change). Blocks.
     * Removing a node and adding it back is how a node whose disk was replaced rejoins: the leader
     * then starts it from scratch and sends it a snapshot.
     */
    public void setMembers(List<Peer> members) throws IOException {
        List<org.apache.ratis.protocol.RaftPeer> peers = StoreGroups.group(groupName, members).getPeers().stream().toList();
        RaftClientReply reply = raft.admin().setConfiguration(peers);
        if (!reply.isSuccess()) {
            throw new IOException(groupName + ": membership change to " + members + " failed", reply.getException());
        }
    }

    /**
     * Asks the group's leader to hand its leadership to {@code nodeId} (Ratis's leadership transfer: the leader
     * waits until the target holds its log, then has it start an election it wins). Blocks up to {@code timeout};
     * throws when the transfer did not complete, the old leader then keeps (or regains) the lead.
     */
    public void transferLeadership(String nodeId, Duration timeout) throws IOException {
        RaftClientReply reply = raft.admin().transferLeadership(RaftPeerId.valueOf(nodeId), timeout.toMillis());
        if (!reply.isSuccess()) {
            throw new IOException(groupName + ": leadership transfer to " + nodeId + " failed", reply.getException());
        }
    }

    /** The leader this client last talked to, or null before its first reply. */
    public String lastKnownLeader() {
        var leader = raft.getLeaderId();
        return leader == null ? null : leader.toString();
    }

    private CompletableFuture<RaftClientReply> sendWrite(Message message) {
        return viaFollowedLeader(message, RaftClientRequest.writeRequestType(),
                () -> withClient(client -> client.async().send(message)));
    }

    private CompletableFuture<RaftClientReply> sendRead(Message message) {
        return viaFollowedLeader(message, RaftClientRequest.readRequestType(),
                () -> withClient(client -> client.async().sendReadOnly(message)));
    }

    /**
     * On a node with a replica of the group, sends to the leader that replica follows (itself directly while it
     * leads), every attempt under the same client and call id ({@link FollowedLeaderSender} says why that is safe for
     * writes); elsewhere through the Ratis client, which looks for the leader itself.
     */
    private CompletableFuture<RaftClientReply> viaFollowedLeader(Message message, RaftClientRequest.Type type,
            Supplier<CompletableFuture<RaftClientReply>> remote) {
        if (followedLeader == null || !followedLeader.hasReplica()) {
            return remote.get();
        }
        return followedLeader.send(message, type, settings.requestTimeout());
    }

    /**
     * Sends what a caller just queued, if an entry may go. While this node leads the group, the replies thread sends it
     * instead of the caller: there the entry enters the division directly, one hop (this thread wakes the replies
     * thread), where a send from here would go through Ratis's client executor and block this thread until that one
     * has appended the entry: two hops (waking the executor's thread, then this one) and the caller held meanwhile, a
     * Vert.x event loop included. Batching holds: commands that arrive before the replies thread sends go in the same
     * entry, and one hand-off at a time is asked for (no wake-up per command). At saturation no hand-off is needed at
     * all: an entry completing on the replies thread sends the next one ({@link #completeOnReplies}). Without a local
     * leader (a follower or a client outside the cluster) entries travel over gRPC, which does not block, so they leave
     * from here and a hop would only add one.
     */
    private void sendAfterSubmit() {
        if (callbacks.isCurrent() || !localDivisionLeads()) {
            sendWhileCapacity();
            return;
        }
        synchronized (this) {
            if (sendHandedOff || waiting.isEmpty() || inflight >= settings.maxInflightProposals()) {
                return; // the replies thread sends it: the hand-off already asked for, or an entry in flight completing
            }
            sendHandedOff = true;
        }
        long handedAt = System.nanoTime();
        try {
            callbacks.execute(() -> sendHandedOff(handedAt));
        } catch (RejectedExecutionException closing) {
            // Only after close(), which failed every waiting command before it shut the replies thread down.
        }
    }

    private void sendHandedOff(long handedAt) {
        StageEvent.record("raft.send-hop", handedAt);
        synchronized (this) {
            sendHandedOff = false;
        }
        sendWhileCapacity();
    }

    private boolean localDivisionLeads() {
        if (localServer == null) {
            return false;
        }
        try {
            return localServer.getDivision(groupId).getInfo().isLeader();
        } catch (IOException noReplicaHere) {
            return false;
        }
    }

    private void sendWhileCapacity() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (waiting.isEmpty() || inflight >= settings.maxInflightProposals()) {
                    return;
                }
                batch = takeBatch();
                inflight++;
            }
            send(batch);
        }
    }

    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        while (!waiting.isEmpty() && batch.size() < GroupClientSettings.MAX_COMMANDS_PER_PROPOSAL) {
            Pending next = waiting.peek();
            if (!batch.isEmpty() && bytes + next.command().length + 4 > settings.maxProposalBytes()) {
                break;
            }
            batch.add(waiting.poll());
            bytes += next.command().length + 4;
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        List<byte[]> commands = new ArrayList<>(batch.size());
        batch.forEach(pending -> commands.add(pending.command()));
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(ProposalCodec.encode(commands)));
        commandsPerEntry.record(batch.size());
        long started = System.nanoTime();
        if (LOG.isDebugEnabled() && started - batch.get(0).queuedAt() > TimeUnit.MILLISECONDS.toNanos(500)) {
            LOG.debug("{}: {} commands waited {} ms for one of {} entries in flight", groupName, batch.size(),
                    TimeUnit.NANOSECONDS.toMillis(started - batch.get(0).queuedAt()), settings.maxInflightProposals());
        }
        StageEvent.record("raft.queued", batch.get(0).queuedAt());
        CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
        writeWhileNotFormed(message, started + settings.requestTimeout().toNanos(), reply);
        // Completed off the Ratis threads: a local leader completes on its apply thread, which must
        // not run callers' continuations (decoding, encoding, the next proposal).
        reply.whenComplete((answer, error) -> {
            long replied = System.nanoTime();
            StageEvent.record("raft.write", started);
            callbacks.execute(() -> completeOnReplies(batch, started, replied, answer, error));
        });
    }

    /** On the replies thread: the entry's outcome to its callers, in commit order, then the next waiting entry. */
    private void completeOnReplies(List<Pending> batch, long started, long replied, RaftClientReply answer,
            Throwable error) {
        StageEvent.record("raft.replies-hop", replied);
        long callersStarted = System.nanoTime();
        commitLatency.record(callersStarted - started, TimeUnit.NANOSECONDS);
        boolean waitedBehindEntry;
        synchronized (this) {
            waitedBehindEntry = !waiting.isEmpty();
        }
        try {
            complete(batch, answer, error);
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
        } finally {
            StageEvent.record("raft.callers", callersStarted);
            // An interrupt a caller's continuation left here is not this thread's (RepliesThread): it would end every
            // park of the linger at once (a spin) and fail the Ratis client's next send (its window's acquire).
            Thread.interrupted();
            if (waitedBehindEntry) {
                lingerForMoreCommands();
            }
            synchronized (this) {
                inflight--;
            }
            sendWhileCapacity();
        }
    }

    /**
     * On the replies thread, once the callers of an entry behind which commands waited have their outcomes and before
     * the next entry leaves: while commands wait but too few to end it ({@link #enoughWaitToEndLinger}), waits up to
     * {@link GroupClientSettings#entryLinger} for more to arrive, so that they travel in one entry. A group is saturated
     * when commands arrived while an entry was in flight; there each entry costs the log its write and fsync, the
     * leader and apply threads a wake-up each, whatever it carries, and this trades at most the linger in latency for
     * fewer, fuller entries. Commands the callers' continuations submitted just now (a lone caller's chained write)
     * are no such sign: the caller calls this only when commands waited before them. The finished entry still counts as
     * in flight meanwhile, so no other thread sends around the linger; with more than one entry in flight allowed there
     * is no linger, since this thread, parked, would hold the other entries' answers from their callers. Tasks queued
     * here meanwhile (reads' answers) wait for the linger too, up to its length.
     */
    private void lingerForMoreCommands() {
        long linger = settings.entryLinger().toNanos();
        if (linger == 0 || settings.maxInflightProposals() > 1) {
            return;
        }
        long startedAt = System.nanoTime();
        long deadline = startedAt + linger;
        boolean lingered = false;
        while (true) {
            synchronized (this) {
                lingering = null;
                if (closed || waiting.isEmpty() || enoughWaitToEndLinger() || deadline - System.nanoTime() <= 0) {
                    break;
                }
                lingering = Thread.currentThread();
            }
            lingered = true;
            LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
        if (lingered) {
            StageEvent.record("raft.linger", startedAt);
        }
    }

    /**
     * Whether the waiting commands end a linger: {@link GroupClientSettings#lingerCommands} of them, or more bytes than
     * the next entry has room for beside one more command's framing, so that no command arriving could join it.
     * Guarded by this; looks at fewer than lingerCommands commands.
     */
    private boolean enoughWaitToEndLinger() {
        if (waiting.size() >= settings.lingerCommands()) {
            return true;
        }
        long bytes = 4;
        for (Pending pending : waiting) {
            bytes += pending.command().length + 4;
        }
        return bytes > settings.maxProposalBytes();
    }

    /**
     * Sends the entry, and again after {@link #RETRY_DELAY} for as long as the group's leader refuses it as not
     * formed (a new cluster's founder alone, {@link GroupNotFormedException}) and the deadline allows: a refused entry
     * was never appended, so sending it again cannot apply it twice. Other outcomes complete {@code result} as they are.
     */
    private void writeWhileNotFormed(Message message, long deadline, CompletableFuture<RaftClientReply> result) {
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = sendWrite(message);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((reply, error) -> {
            if (refusedAsNotFormed(reply, error) && System.nanoTime() + RETRY_DELAY.toNanos() < deadline
                    && !closed) {
                CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> writeWhileNotFormed(message, deadline, result));
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(reply);
            }
        });
    }

    /**
     * The local leader answers a refusal as a reply with a StateMachineException; Ratis's client, asking a remote leader,
     * fails its future with it instead.
     */
    private static boolean refusedAsNotFormed(RaftClientReply reply, Throwable error) {
        Throwable cause = error != null ? error : reply.getStateMachineException();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause instanceof GroupNotFormedException) {
                return true;
            }
        }
        return false;
    }

    private void complete(List<Pending> batch, RaftClientReply reply, Throwable error) {
        if (error != null || !reply.isSuccess()) {
            Throwable cause = error != null ? error : reply.getException();
            StoreUnavailableException failure = new StoreUnavailableException(groupName + ": write not confirmed", cause);
            logUnconfirmed(batch.size(), cause);
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
            return;
        }
        List<ByteBuffer> results = ProposalCodec.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
        if (results.size() != batch.size()) {
            IllegalStateException mismatch = new IllegalStateException(
                    groupName + ": " + results.size() + " results for " + batch.size() + " commands");
            batch.forEach(pending -> pending.result().completeExceptionally(mismatch));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /**
     * A write the Ratis client gave up on after its own retries (which ride out leader changes quietly): a real
     * failure, logged in one line naming the group, at most once per {@link #FAILURE_LOG_INTERVAL} with the
     * number of failed entries since the last line.
     */
    private void logUnconfirmed(int commands, Throwable cause) {
        long now = System.nanoTime();
        long failedEntries = unconfirmedSinceLog.incrementAndGet();
        long last = lastFailureLog.get();
        if ((last == 0 || now - last >= FAILURE_LOG_INTERVAL.toNanos()) && lastFailureLog.compareAndSet(last, now)) {
            unconfirmedSinceLog.set(0);
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String format = "{}: a write of {} commands was not confirmed after the Raft client's retries ({} unconfirmed "
                    + "entries since the last such line): {}: {}";
            Object[] arguments = {groupName, commands, failedEntries, root.getClass().getSimpleName(), root.getMessage()};
            if (isLeaderChange(root)) {
                LOG.info(format, arguments); // a local leader stepped down under the write: routine, the caller retries
            } else {
                LOG.warn(format, arguments);
            }
        }
    }

    /**
     * Failures a leader change causes (the outcome is unknown to the caller, but nothing is wrong with the cluster), and
     * a group still forming (nothing was appended; the controller is adding its members).
     */
    private static boolean isLeaderChange(Throwable root) {
        return root instanceof NotLeaderException || root instanceof LeaderNotReadyException
                || root instanceof LeaderSteppingDownException || root instanceof GroupNotFormedException;
    }

    @Override
    public void close() throws IOException {
        List<Pending> abandoned;
        synchronized (this) {
            closed = true;
            abandoned = new ArrayList<>(waiting);
            waiting.clear();
            if (lingering != null) {
                LockSupport.unpark(lingering); // nothing left to wait for
            }
        }
        abandoned.forEach(pending -> pending.result().completeExceptionally(
                new StoreUnavailableException(groupName + " client closed", null)));
        List<RaftClient> replaced;
        synchronized (this) {
            replaced = new ArrayList<>(retiring);
            retiring.clear();
        }
        replaced.forEach(this::closeQuietly);
        raft.close();
        if (followedLeader != null) {
            followedLeader.close();
        }
        callbacks.shutdown(); // not shutdownNow: a send on it may be inside Ratis's append (RepliesThread)
    }
}
