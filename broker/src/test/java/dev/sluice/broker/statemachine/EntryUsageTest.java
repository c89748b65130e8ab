package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.broker.storage.UsageStore;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.StoreWriter;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage of one Raft entry's commands is written once per counter, when the entry ends, without reading back a
 * counter the engine wrote last, and gives exactly the totals of one read-modify-write per add: a rejected command bills
 * what it billed, a usage flush (recordOnce) in the same entry sees the entry's earlier writes, and an engine recovered
 * onto another store (a snapshot install) reads its counters again. The queue engine over a real RocksDB store, as
 * EngineStateMachine drives it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EntryUsageTest {
    private static final String ACCOUNT = "000000000000";
    private static final long HOUR = 3_600_000L * 490_000;
    private static final String BODY = "x".repeat(200);

    @TempDir
    Path dir;

    /** The entry's batch, counting the reads and writes of the usage column family and the reads of message bodies. */
    private static final class CountingWriter implements StoreWriter {
        private final EntryBatch batch;
        int usageReads;
        int usageWrites;
        int bodyReads;
        int batchedBodyReads;

        CountingWriter(EntryBatch batch) {
            this.batch = batch;
        }

        @Override
        public void put(String columnFamily, byte[] key, byte[] value) {
            usageWrites += QueueKeys.USAGE.equals(columnFamily) ? 1 : 0;
            batch.put(columnFamily, key, value);
        }

        @Override
        public void delete(String columnFamily, byte[] key) {
            batch.delete(columnFamily, key);
        }

        @Override
        public byte[] get(String columnFamily, byte[] key) {
            usageReads += QueueKeys.USAGE.equals(columnFamily) ? 1 : 0;
            bodyReads += QueueKeys.MESSAGES.equals(columnFamily) ? 1 : 0;
            return batch.get(columnFamily, key);
        }

        @Override
        public List<byte[]> getAll(String columnFamily, List<byte[]> keys) {
            usageReads += QueueKeys.USAGE.equals(columnFamily) ? keys.size() : 0;
            batchedBodyReads += QueueKeys.MESSAGES.equals(columnFamily) ? 1 : 0;
            return batch.getAll(columnFamily, keys);
        }

        @Override
        public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
            batch.scan(columnFamily, prefix, startKey, visitor);
        }
    }

    /** One entry's context: its index, a time inside {@link #HOUR}, unique bits from the index. */
    private record Entry(long logIndex, StoreWriter writer, long[] counter) implements ApplyContext {
        @Override
        public long timeMillis() {
            return HOUR + 60_000;
        }

        @Override
        public long[] uniqueBits() {
            long n = counter[0]++;
            return new long[] {logIndex * 7919 + n, (logIndex << 24) | n};
        }
    }

    /** A client's entry: sends, a receive, a rejected delete, a usage flush proposed twice, one more send. */
    private static List<QueueCommand> billedCommands() {
        List<SendEntry> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(send("b" + i));
        }
        List<UsageRow> flushed = List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_REQUESTS, 7),
                new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_BYTES_OUT, 5));
        return List.of(new QueueCommand.Send("orders", three), new QueueCommand.Send("orders", List.of(send("one"))),
                new QueueCommand.Receive("orders", 10, 30),
                new QueueCommand.Delete("missing", List.of(new HandleEntry("d", "not-a-handle")), null, 0),
                new QueueCommand.RecordUsage("n1/edge", 1, flushed), new QueueCommand.RecordUsage("n1/edge", 1, flushed),
                new QueueCommand.Send("orders", List.of(send("last"))));
    }

    private static SendEntry send(String id) {
        return new SendEntry(id, BODY, null, Map.of(), null, null, null);
    }

    @Test
    void anEntryReadsAndWritesEachUsageCounterOnceAndBillsWhatOneWritePerAddBilled() throws IOException {
        try (RocksStore store = RocksStore.open(dir.resolve("one-entry"), QueueKeys.COLUMN_FAMILIES)) {
            QueueEngine engine = UnknownQueueCommandIT.engine();
            engine.recover(store).join();
            apply(store, engine, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));

            List<QueueCommand> commands = billedCommands();
            List<byte[]> results = new ArrayList<>();
            CountingWriter counted = apply(store, engine, 2, commands, results);

            assertThrows(SqsException.class, () -> QueueResultCodec.open(ByteBuffer.wrap(results.get(3))),
                    "the delete on a missing queue is rejected, and its batch committed");
            assertTrue(QueueResultCodec.open(ByteBuffer.wrap(results.get(4))).getBoolean(), "the first flush is added");
            assertFalse(QueueResultCodec.open(ByteBuffer.wrap(results.get(5))).getBoolean(),
                    "the same flush again in the same entry sees the first's write");
            // Requests: create 1 (entry 1), sends 1 + 1 + 1, the receive 1, the rejected delete 1, the flush 7.
            // Bytes out: the 4 bodies received (800) and the flush's 5.
            assertEquals(List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_REQUESTS, 13),
                    new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_BYTES_OUT, 805)), UsageStore.read(store, ACCOUNT, 0, 2 * HOUR).rows());
            // Two counters, one write each; only bytes out is read (entry 1 wrote the requests counter); the flush's
            // source key is read twice and written once.
            assertEquals(3, counted.usageReads, "usage reads in the entry");
            assertEquals(3, counted.usageWrites, "usage writes in the entry");

            CountingWriter again = apply(store, engine, 3, commands, new ArrayList<>());
            assertEquals(2, again.usageReads, "the next entry reads the source key only");
            assertEquals(2, again.usageWrites, "the counters (the flush was recorded before)");
            // Requests: 3 sends, the receive, the rejected delete. Bytes out: the receive takes the 5 messages ready.
            assertEquals(List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_REQUESTS, 18),
                    new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_BYTES_OUT, 1805)),
                    UsageStore.read(store, ACCOUNT, 0, 2 * HOUR).rows(), "the same commands again");

            try (RocksStore reference = RocksStore.open(dir.resolve("entry-per-command"), QueueKeys.COLUMN_FAMILIES)) {
                QueueEngine one = UnknownQueueCommandIT.engine();
                one.recover(reference).join();
                apply(reference, one, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < commands.size(); i++) {
                        apply(reference, one, 2 + round * commands.size() + i, List.of(commands.get(i)));
                    }
                }
                assertEquals(UsageStore.read(reference, null, 0, Long.MAX_VALUE).rows(),
                        UsageStore.read(store, null, 0, Long.MAX_VALUE).rows(), "one entry per command gives the same totals");
            }
        }
    }

    @Test
    void theUsageOfAnEntryWhoseBatchWasNeverCommittedCountsNowhere() throws IOException {
        try (RocksStore store = RocksStore.open(dir.resolve("store"), QueueKeys.COLUMN_FAMILIES)) {
            QueueEngine engine = UnknownQueueCommandIT.engine();
            engine.recover(store).join();
            apply(store, engine, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));
            try (EntryBatch abandoned = store.newBatch()) {
                // As an apply that failed after this command: no beforeCommit, no commit.
                applyCommand(engine, new Entry(2, abandoned, new long[1]), new QueueCommand.Send("orders", List.of(send("a"))));
            }

            apply(store, engine, 2, List.of(new QueueCommand.Send("orders", List.of(send("b")))));

            assertEquals(List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_REQUESTS, 2)),
                    UsageStore.read(store, ACCOUNT, 0, 2 * HOUR).rows());
        }
    }

    @Test
    void anEngineRecoveredOntoAnotherStoreReadsItsCountersAgain() throws IOException {
        try (RocksStore first = RocksStore.open(dir.resolve("first"), QueueKeys.COLUMN_FAMILIES);
                RocksStore installed = RocksStore.open(dir.resolve("installed"), QueueKeys.COLUMN_FAMILIES)) {
            QueueEngine engine = UnknownQueueCommandIT.engine();
            engine.recover(first).join();
            apply(first, engine, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));
            apply(first, engine, 2, List.of(new QueueCommand.Send("orders", List.of(send("a")))));
            // As a snapshot from the leader: the same queue with more history behind it.
            QueueEngine leader = UnknownQueueCommandIT.engine();
            leader.recover(installed).join();
            apply(installed, leader, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));
            for (int i = 0; i < 3; i++) {
                apply(installed, leader, 2 + i, List.of(new QueueCommand.Send("orders", List.of(send("l" + i)))));
            }

            engine.recover(installed).join();
            apply(installed, engine, 5, List.of(new QueueCommand.Send("orders", List.of(send("b")))));

            assertEquals(List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_REQUESTS, 5)),
                    UsageStore.read(installed, ACCOUNT, 0, 2 * HOUR).rows(), "4 before the install, 1 after");
        }
    }

    @Test
    void aReceiveReadsTheBodiesItTakesInOneReadIncludingOneSentInTheSameEntry() throws IOException {
        try (RocksStore store = RocksStore.open(dir.resolve("store"), QueueKeys.COLUMN_FAMILIES)) {
            QueueEngine engine = UnknownQueueCommandIT.engine();
            engine.recover(store).join();
            apply(store, engine, 1, List.of(new QueueCommand.CreateQueue("orders", Map.of(), Map.of())));
            apply(store, engine, 2, List.of(new QueueCommand.Send("orders", List.of(send("a"), send("b"), send("c")))));

            CountingWriter entry = apply(store, engine, 3, List.of(new QueueCommand.Send("orders", List.of(send("d"))),
                    new QueueCommand.Receive("orders", 10, 30)), new ArrayList<>());

            assertEquals(0, entry.bodyReads, "no body read alone");
            assertEquals(1, entry.batchedBodyReads, "one read for the four bodies");
            assertEquals(List.of(new UsageRow(ACCOUNT, HOUR, UsageKind.SQS_BYTES_OUT, 4 * BODY.length())),
                    UsageStore.read(store, ACCOUNT, 0, 2 * HOUR).rows().stream()
                            .filter(row -> row.kind() == UsageKind.SQS_BYTES_OUT).toList(),
                    "the four bodies were delivered, the one sent in the same entry too");
        }
    }

    private static void apply(RocksStore store, QueueEngine engine, long index, List<QueueCommand> commands)
            throws IOException {
        apply(store, engine, index, commands, new ArrayList<>());
    }

    /** One entry as EngineStateMachine applies it: each command, then beforeCommit, then the commit. */
    private static CountingWriter apply(RocksStore store, QueueEngine engine, long index, List<QueueCommand> commands,
            List<byte[]> results) throws IOException {
        try (EntryBatch batch = store.newBatch()) {
            CountingWriter writer = new CountingWriter(batch);
            Entry entry = new Entry(index, writer, new long[1]);
            for (QueueCommand command : commands) {
                results.add(applyCommand(engine, entry, command));
            }
            engine.beforeCommit(entry);
            batch.commit(new AppliedPosition(1, index, entry.timeMillis()));
            return writer;
        }
    }

    private static byte[] applyCommand(QueueEngine engine, ApplyContext entry, QueueCommand command) {
        CommandFrame frame = CommandFrame.decode(ByteBuffer.wrap(QueueCommandCodec.encode(command)));
        return engine.apply(frame.commandType(), frame.payload(), entry);
    }
}
