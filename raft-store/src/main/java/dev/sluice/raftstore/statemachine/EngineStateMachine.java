package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.codec.CommitStamp;
import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.codec.ProposalCodec;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.OptionalInt;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import dev.sluice.raftstore.GroupNotFormedException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Ratis adapter in front of a {@link DomainEngine}: the leader stamps time, a seed and its commit index
 * into each entry (and appends a commit marker when the group goes idle: {@link CommitMarkers}); apply unpacks the
 * entry's commands, lets the engine apply them into one RocksDB batch and commits that batch with the applied
 * position; snapshots are RocksDB checkpoints. A restart starts committed up to the highest stamp in its log
 * ({@link CommitIndexAtStart}).
 *
 * <p>The leader refuses commands and linearizable reads while the group is not formed ({@link Formation}): refused in
 * {@link #startTransaction}, a command never enters the log, so nothing a lone founder holds was ever acknowledged.
 *
 * <p>Threads: Ratis calls apply, snapshot and term-index notifications on the group's updater
 * thread; queries on its RPC threads; reinitialize after a snapshot install.
 */
public final class EngineStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(EngineStateMachine.class);
    /**
     * Commands applied between two flushes of the store. RocksDB's WAL is off, so what a crash keeps is what was
     * flushed, and a restart replays the log from there: without this, from the last snapshot (up to the snapshot
     * threshold, 100,000 entries by default) or from the first entry, which made a restart's time grow with the
     * group's history. A flush is a memtable switch plus a background write of a few MB. 2,000 rather than 10,000:
     * a node restarted inside a loaded cluster replayed up to 10,000 single-message commands through apply (~0.6 s of
     * CPU, and the JIT's work for that path) before it served; at 2,000 commands a second a flush a second is cheap.
     */
    public static final int FLUSH_EVERY_COMMANDS = 2_000;
    /**
     * Bytes of applied entries between two flushes, if they come before {@link #FLUSH_EVERY_COMMANDS}: a restart
     * replays at most about this much of the log ({@link FlushInterval}). 4 MiB flushes are small L0 files; RocksDB
     * compacts every few of them in the background.
     */
    public static final long FLUSH_EVERY_BYTES = 4L << 20;

    private final String name;
    private final DomainEngine engine;
    private final Path liveDirectory;
    private final InstantSource clock;
    private final FatalErrorListener fatalErrors;
    private final Counter leaderChanges;
    private final FoundingRecord founding;
    private final CheckpointSnapshotStorage snapshots = new CheckpointSnapshotStorage();
    private final SecureRandom seeds = new SecureRandom();
    /** Queries read while apply writes; a snapshot install swaps the store under the write lock. */
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile RocksStore store;
    private volatile Throwable failure;
    /** The engine's rebuild of its in-memory state from the store opened last; the store is not closed before it ends. */
    private volatile CompletableFuture<Void> recovery = CompletableFuture.completedFuture(null);
    /** The last leader {@link #notifyLeaderChanged} named; Ratis calls it from one thread at a time per group. */
    private volatile RaftPeerId lastLeader;
    private final FlushInterval flushInterval = new FlushInterval(FLUSH_EVERY_COMMANDS, FLUSH_EVERY_BYTES);
    private final CommitMarkers markers;

    /**
     * @param founding the groups of this node still being founded ({@link Formation})
     * @param stampsAllowed whether the cluster runs feature level 5, so the leader may stamp entries and append markers
     *     ({@link CommitMarkers}); read per entry, it must be cheap and, once true, stay true
     */
    public EngineStateMachine(String name, DomainEngine engine, Path liveDirectory, InstantSource clock,
            FatalErrorListener fatalErrors, Counter leaderChanges, FoundingRecord founding, BooleanSupplier stampsAllowed) {
        this.name = name;
        this.founding = founding;
        this.engine = engine;
        this.liveDirectory = liveDirectory;
        this.clock = clock;
        this.fatalErrors = fatalErrors;
        this.leaderChanges = leaderChanges;
        this.markers = new CommitMarkers(name, CommitMarkers.decisionDelay(name), () -> {
            TermIndex applied = getLastAppliedTermIndex();
            return applied == null ? -1 : applied.getIndex();
        }, stampsAllowed);
    }

    public DomainEngine engine() {
        return engine;
    }

    public boolean isFailed() {
        return failure != null;
    }

    /**
     * Completes when the engine has rebuilt its in-memory state from the store opened last (at start, or after a
     * snapshot install), failed or not; until then its applies and local reads wait.
     */
    public CompletableFuture<Void> rebuilt() {
        return recovery.handle((done, error) -> null);
    }

    /** Whether the engine is still rebuilding its in-memory state (read by every {@code /health}: no allocation). */
    public boolean isRebuilding() {
        return !recovery.isDone();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots.init(raftStorage);
        getLifeCycle().startAndTransition(() -> openStore(false), IOException.class);
        markers.initialize(server, groupId);
        CommitIndexAtStart.raise(server, groupId, store.applied().index(), name);
    }

    /** Ratis pauses the state machine before it installs a snapshot and reloads it after. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().startAndTransition(() -> openStore(true), IOException.class);
    }

    /** Opens the live store, first restoring the newest snapshot when it is ahead of the live state. */
    private void openStore(boolean afterInstall) throws IOException {
        long startedNanos = System.nanoTime();
        storeLock.writeLock().lock();
        try {
            if (store != null) {
                awaitRecovery();
                store.close();
                store = null;
            }
            RocksStore opened = Files.exists(liveDirectory) ? RocksStore.open(liveDirectory, engine.columnFamilies()) : null;
            SnapshotInfoView latest = latestSnapshot();
            if (latest != null && (opened == null || opened.applied().index() < latest.termIndex.getIndex())) {
                if (opened != null) {
                    opened.close();
                }
                LOG.info("{}: restoring snapshot {} (after install: {})", name, latest.termIndex, afterInstall);
                restore(latest.directory);
                opened = RocksStore.open(liveDirectory, engine.columnFamilies());
            }
            if (opened == null) {
                opened = RocksStore.open(liveDirectory, engine.columnFamilies());
            }
            long openedNanos = System.nanoTime();
            recovery = engine.recover(opened).whenComplete((rebuilt, error) -> {
                if (error != null) {
                    fail(error);
                } else if (!afterInstall) {
                    LOG.info("{}: in-memory state rebuilt {} ms after the store opened", name,
                            (System.nanoTime() - openedNanos) / 1_000_000);
                }
            });
            store = opened;
            AppliedPosition applied = opened.applied();
            if (applied.index() >= 0) {
                restoredLastApplied(TermIndex.valueOf(applied.term(), applied.index()));
            }
            // A restart's time goes here and into replaying the log after this index: one line says how much of each.
            LOG.info("{}: store open at applied index {} in {} ms", name, applied.index(),
                    (System.nanoTime() - startedNanos) / 1_000_000);
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /**
     * Moves the applied position to what the opened store holds. Forward through Ratis's update, which also
     * completes replica reads waiting for that index: a replica read that arrived while a new replica was still
     * empty (before its first snapshot was installed) would otherwise wait for the next applied entry, forever
     * on an idle group.
     */
    private void restoredLastApplied(TermIndex restored) {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || restored.compareTo(last) >= 0) {
            updateLastAppliedTermIndex(restored.getTerm(), restored.getIndex());
        } else {
            setLastAppliedTermIndex(restored);
        }
    }

    private record SnapshotInfoView(TermIndex termIndex, Path directory) {
    }

    private SnapshotInfoView latestSnapshot() {
        var info = snapshots.getLatestSnapshot();
        if (info == null) {
            return null;
        }
        Optional<Path> directory = snapshots.latestDirectory();
        return directory.map(path -> new SnapshotInfoView(info.getTermIndex(), path)).orElse(null);
    }

    /**
     * Replaces the live database with a checkpoint: SST files are immutable and hard-linked, the rest
     * copied, into a sibling directory that then takes the live one's place. A crash at any point
     * leaves either the old live directory or none, and a missing one is restored again on start.
     */
    private void restore(Path snapshotDirectory) throws IOException {
        Path staging = liveDirectory.resolveSibling(liveDirectory.getFileName() + ".restoring");
        CheckpointSnapshotStorage.deleteRecursively(staging);
        Files.createDirectories(staging);
        for (Path file : CheckpointSnapshotStorage.dataFiles(snapshotDirectory)) {
            Path target = staging.resolve(file.getFileName().toString());
            if (file.getFileName().toString().endsWith(".sst")) {
                try {
                    Files.createLink(target, file);
                    continue;
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.debug("hard link failed, copying {}", file, e);
                }
            }
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        CheckpointSnapshotStorage.deleteRecursively(liveDirectory);
        Files.move(staging, liveDirectory, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        Optional<String> unformed = formationProblem();
        if (unformed.isPresent()) {
            // Ratis answers the client with this exception (inside a StateMachineException) and appends nothing.
            return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request).build()
                    .setException(new GroupNotFormedException(unformed.get()));
        }
        ByteString logData = markers.isMarker(request)
                ? UnsafeByteOperations.unsafeWrap(CommitStamp.marker(markers.stamp()))
                : StampedEntry.stamp(new EntryHeader(clock.millis(), seeds.nextLong(), markers.stamp()),
                        request.getMessage().getContent());
        return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request).setLogData(logData).build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        try {
            ByteBuffer reply = apply(entry);
            markers.applied(entry.getIndex(), reply != null);
            return CompletableFuture.completedFuture(reply == null ? Message.EMPTY : Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
        } catch (RuntimeException | IOException | Error e) {
            fail(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private ByteBuffer apply(LogEntryProto entry) throws IOException {
        if (failure != null) {
            throw new IllegalStateException(name + " stopped after a fatal error", failure);
        }
        TermIndex termIndex = TermIndex.valueOf(entry);
        List<byte[]> results;
        // Held for the whole entry: close() and a snapshot install swap the store under the write lock.
        storeLock.readLock().lock();
        try {
            RocksStore current = requireOpen();
            if (termIndex.getIndex() <= current.applied().index()) {
                // Already in RocksDB (replay after restart): applying again would not be idempotent.
                advanceLastApplied(termIndex);
                return null;
            }
            ByteString data = entry.getStateMachineLogEntry().getLogData();
            int entryBytes = data.size();
            if (CommitStamp.isMarker(data.substring(0, Math.min(CommitStamp.MARKER_SIZE, entryBytes))
                    .asReadOnlyByteBuffer())) {
                skipWithoutWrite(current, termIndex); // a no-op for the store: its stamp is for a restart's scan
                advanceLastApplied(termIndex);
                return null;
            }
            StampedEntry stamped = StampedEntry.read(data);
            EntryHeader header = stamped.header();
            List<ByteBuffer> commands = stamped.commands();
            results = new ArrayList<>(commands.size());
            try (EntryBatch batch = current.newBatch()) {
                EntryApplyContext context = new EntryApplyContext(termIndex.getIndex(), header,
                        current.applied().timeMillis(), batch, leadsInTerm(termIndex.getTerm()));
                for (ByteBuffer command : commands) {
                    CommandFrame frame = CommandFrame.decode(command);
                    results.add(engine.apply(frame.commandType(), frame.payload(), context));
                }
                engine.beforeCommit(context);
                batch.commit(new AppliedPosition(termIndex.getTerm(), termIndex.getIndex(), context.timeMillis()));
            }
            if (flushInterval.applied(commands.size(), entryBytes)) {
                current.flushInBackground();
            }
        } finally {
            storeLock.readLock().unlock();
        }
        advanceLastApplied(termIndex);
        return ByteBuffer.wrap(ProposalCodec.encode(results));
    }

    /** Whether this node leads the group in {@code term} now (see {@link dev.sluice.raftstore.spi.ApplyContext#proposedHere}). */
    private boolean leadsInTerm(long term) {
        RaftServer server = getServer().getNow(null);
        if (server == null) {
            return false;
        }
        try {
            var info = server.getDivision(getGroupId()).getInfo();
            return info.isLeader() && info.getCurrentTerm() == term;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for the engine's rebuild from the current store to end (its failure is handled where it completes). */
    private void awaitRecovery() {
        recovery.handle((rebuilt, error) -> null).join();
    }

    private RocksStore requireOpen() throws IOException {
        RocksStore current = store;
        if (current == null) {
            throw new IOException(name + " is closed");
        }
        return current;
    }

    /** True when the live store accepts a write; false once closed. Safe against a concurrent close. */
    public boolean isStorageWritable() {
        storeLock.readLock().lock();
        try {
            return store != null && store.isWritable();
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /** A RocksDB property of the live store, NaN once closed (metrics). Safe against a concurrent close. */
    public double storeProperty(String property) {
        storeLock.readLock().lock();
        try {
            return store == null ? Double.NaN : store.longProperty(property);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * An entry without state-machine data (elections, configuration; Ratis's commit-index entries in logs written
     * before they were turned off): the store's applied position moves to it without a write of its own
     * ({@link RocksStore#skipTo}), so that it always equals the state machine's; the next entry's batch, a snapshot or
     * a close writes it.
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        if (failure != null) {
            return; // Never move past an entry that failed: a snapshot would then skip it for good.
        }
        storeLock.readLock().lock();
        try {
            RocksStore current = store;
            if (current != null) {
                skipWithoutWrite(current, TermIndex.valueOf(term, index));
            }
        } finally {
            storeLock.readLock().unlock();
        }
        advanceLastApplied(TermIndex.valueOf(term, index));
        markers.applied(index, false);
    }

    /** Moves the store's position to an entry without writes (see {@link #notifyTermIndexUpdated}); read lock held. */
    private static void skipWithoutWrite(RocksStore current, TermIndex termIndex) {
        if (termIndex.getIndex() > current.applied().index()) {
            current.skipTo(new AppliedPosition(termIndex.getTerm(), termIndex.getIndex(), current.applied().timeMillis()));
        }
    }

    /** Ratis may replay entries the live store already holds; the applied index never moves back. */
    private void advanceLastApplied(TermIndex termIndex) {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || termIndex.getIndex() > last.getIndex()) {
            updateLastAppliedTermIndex(termIndex);
        }
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
            LOG.error("{}: fatal error in apply; this node stops serving the group", name, error);
            fatalErrors.onFatalError(name, error);
        }
    }

    /**
     * Why this group may not serve yet ({@link Formation}): only while it is being founded, as this replica's newest
     * configuration has it. A configuration that meets the rule and that this replica has applied (so it is committed)
     * makes the group formed for good.
     */
    public Optional<String> formationProblem() {
        OptionalInt foundedFor = founding.foundedFor(name);
        if (foundedFor.isEmpty()) {
            return Optional.empty();
        }
        RaftServer server = getServer().getNow(null);
        if (server == null) {
            return Optional.of(name + " is not started");
        }
        RaftConfiguration conf;
        try {
            conf = server.getDivision(getGroupId()).getRaftConf();
        } catch (IOException e) {
            return Optional.of(name + " is not hosted here: " + e.getMessage());
        }
        Optional<String> problem = Formation.problem(name, conf, foundedFor.getAsInt());
        TermIndex applied = getLastAppliedTermIndex(); // null before the store is opened
        if (problem.isEmpty() && applied != null && conf.getLogEntryIndex() <= applied.getIndex()) {
            founding.formed(name);
        }
        return problem;
    }

    /** A configuration entry was committed and applied: the group is formed once one meets {@link Formation}. */
    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto conf) {
        OptionalInt foundedFor = founding.foundedFor(name);
        if (foundedFor.isEmpty()) {
            return;
        }
        int voters = conf.getOldPeersCount() == 0 ? conf.getPeersCount()
                : Math.min(conf.getPeersCount(), conf.getOldPeersCount());
        if (Formation.problem(name, voters, foundedFor.getAsInt()).isEmpty()) {
            founding.formed(name);
        }
    }

    /**
     * A linearizable read; refused while the group is not formed, like a command: a lone founder's empty state is
     * not the cluster's answer (a queue created on the members it has not reached yet would look absent).
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        if (!(request instanceof StaleRead)) {
            Optional<String> unformed = formationProblem();
            if (unformed.isPresent()) {
                return CompletableFuture.failedFuture(new StateMachineException(unformed.get(),
                        new GroupNotFormedException(unformed.get()), false));
            }
        }
        return answer(request);
    }

    /**
     * A replica read ({@code queryReplica}: possibly stale by contract, for readers that accept any replica's state) is
     * served while the group is not formed too: the membership workers read the layout from their own replica so.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        return super.queryStale(new StaleRead(request), minIndex);
    }

    /** Marks a read {@link #queryStale} passes to the base class, which waits for {@code minIndex} and calls query. */
    private record StaleRead(Message request) implements Message {
        @Override
        public ByteString getContent() {
            return request.getContent();
        }
    }

    private CompletableFuture<Message> answer(Message request) {
        storeLock.readLock().lock();
        try {
            byte[] result = engine.query(request.getContent().asReadOnlyByteBuffer(), store);
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(result)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        if (failure != null) {
            throw new IOException(name + " failed; no snapshot of a state that skipped an entry", failure);
        }
        storeLock.readLock().lock();
        try {
            return checkpoint(requireOpen());
        } finally {
            storeLock.readLock().unlock();
        }
    }

    private long checkpoint(RocksStore store) throws IOException {
        // Named after what the checkpoint holds, which is the store's applied position.
        AppliedPosition applied = store.applied();
        if (applied.index() < 0) {
            return -1;
        }
        TermIndex last = TermIndex.valueOf(applied.term(), applied.index());
        Path target = snapshots.directoryFor(last);
        if (!Files.exists(target)) {
            Path temporary = snapshots.temporaryDirectoryFor(last);
            CheckpointSnapshotStorage.deleteRecursively(temporary);
            store.checkpoint(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            snapshots.cleanupOldSnapshots(null);
            LOG.info("{}: snapshot {} taken", name, last);
        }
        return last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderChanges.increment();
        markers.leaderChanged();
        // The one line a routine leader change is worth (Ratis's own routine lines are kept below WARN): Ratis also
        // reports "no leader" while an election runs, which says nothing a second line would not.
        if (newLeaderId != null && !newLeaderId.equals(lastLeader)) {
            LOG.info("{}: {} leads the group (before: {}); applied here: {}", name, newLeaderId,
                    lastLeader == null ? "none known" : lastLeader, getLastAppliedTermIndex().getIndex());
            lastLeader = newLeaderId;
        }
    }

    @Override
    public void close() throws IOException {
        markers.close();
        storeLock.writeLock().lock();
        try {
            if (store != null) {
                awaitRecovery();
                store.close();
                store = null;
            }
        } finally {
            storeLock.writeLock().unlock();
        }
        super.close();
    }
}
