package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.StoreReader;
import dev.sluice.raftstore.spi.StoreWriter;
import dev.sluice.raftstore.storage.RocksStore;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries without state-machine data (Ratis's commit-index entries, configuration entries) move the store's applied
 * position without a write of their own; a clean stop writes it, and the restarted node holds the same state. Sluice
 * turns commit-index entries off; this test turns them back on, as the easiest way to have entries without data
 * follow every write. An engine's
 * {@link DomainEngine#beforeCommit} runs once per entry, and what it writes commits with the entry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EntriesWithoutDataIT {
    private static final String COUNTS = "counts";
    private static final byte[] COMMANDS = {1};
    private static final byte[] ENTRIES = {2};
    private static final int WRITES = 5;

    @TempDir
    Path dir;

    /** Counts its commands in apply and its entries in beforeCommit, both in the entry's batch; a query reads both. */
    static final class CountingEngine implements DomainEngine {
        /** The log index of the last entry applied here (not replayed): the last entry with data. */
        final AtomicLong lastDataIndex = new AtomicLong(-1);

        @Override
        public List<String> columnFamilies() {
            return List.of(COUNTS);
        }

        @Override
        public CompletableFuture<Void> recover(StoreReader reader) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
            increment(context.writer(), COMMANDS);
            return new byte[0];
        }

        @Override
        public void beforeCommit(ApplyContext context) {
            increment(context.writer(), ENTRIES);
            lastDataIndex.set(context.logIndex());
        }

        private static void increment(StoreWriter writer, byte[] key) {
            byte[] old = writer.get(COUNTS, key);
            writer.put(COUNTS, key, ByteBuffer.allocate(8).putLong(count(old) + 1).array());
        }

        @Override
        public byte[] query(ByteBuffer request, StoreReader reader) {
            return ByteBuffer.allocate(16).putLong(count(reader.get(COUNTS, COMMANDS))).putLong(count(reader.get(COUNTS, ENTRIES)))
                    .array();
        }

        private static long count(byte[] value) {
            return value == null ? 0 : ByteBuffer.wrap(value).getLong();
        }
    }

    @Test
    void aCleanStopKeepsThePositionOfTrailingEntriesWithoutDataAndTheRestartHoldsTheSameState() throws Exception {
        CountingEngine[] engine = new CountingEngine[1];
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).engines(index -> engine[0] = new CountingEngine())
                .raftProperties(Map.of("raft.server.log.log-metadata.enabled", "true")).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            for (int i = 0; i < WRITES; i++) {
                node.dataGroup(0).submit(CommandFrame.writer(7).toByteArray()).get(30, TimeUnit.SECONDS);
            }
            // Each acknowledged entry is followed by Ratis's commit-index entry: wait until one is applied after the last.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (node.appliedIndex(0) <= engine[0].lastDataIndex.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long applied = node.appliedIndex(0);
            long lastData = engine[0].lastDataIndex.get();
            assertTrue(applied > lastData, "an entry without data applied after the last write: " + applied + " > " + lastData);
            ByteBuffer before = node.dataGroup(0).query(new byte[0]).get(30, TimeUnit.SECONDS);
            long entriesBefore = before.getLong(8);
            assertEquals(WRITES, before.getLong(0), "commands applied");
            assertTrue(entriesBefore >= 1 && entriesBefore <= WRITES, "beforeCommit once per entry: " + entriesBefore);

            cluster.kill(0);
            try (RocksStore store = RocksStore.open(cluster.config(0).dataDirectory().resolve("state")
                    .resolve(StoreGroups.dataGroupName(0)), List.of(COUNTS))) {
                assertTrue(store.applied().index() >= applied,
                        "the stopped store holds the position of the entries without data: " + store.applied() + " vs " + applied);
            }

            cluster.restart(0);
            cluster.awaitLeader(Duration.ofSeconds(30));
            ByteBuffer after = cluster.node(0).dataGroup(0).query(new byte[0]).get(30, TimeUnit.SECONDS);
            assertEquals(WRITES, after.getLong(0), "commands after the restart");
            assertEquals(entriesBefore, after.getLong(8), "entries after the restart");
        }
    }
}
