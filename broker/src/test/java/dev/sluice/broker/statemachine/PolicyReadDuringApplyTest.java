package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.StoreWriter;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQS edge reads a queue's Policy for every request on an event loop ({@link QueueEngine#policyOf}): the read
 * answers while the apply thread is in the middle of a command, instead of waiting for the engine's lock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PolicyReadDuringApplyTest {
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage",\
            "Resource":"arn:aws:sqs:us-east-1:000000000000:orders"}]}""";

    @TempDir
    Path dir;

    /** The entry's batch; a write of a message body waits until the test lets it go on. */
    private static final class HeldWriter implements StoreWriter {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final EntryBatch batch;

        HeldWriter(EntryBatch batch) {
            this.batch = batch;
        }

        @Override
        public void put(String columnFamily, byte[] key, byte[] value) {
            if (QueueKeys.MESSAGES.equals(columnFamily)) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batch.put(columnFamily, key, value);
        }

        @Override
        public void delete(String columnFamily, byte[] key) {
            batch.delete(columnFamily, key);
        }

        @Override
        public byte[] get(String columnFamily, byte[] key) {
            return batch.get(columnFamily, key);
        }

        @Override
        public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
            batch.scan(columnFamily, prefix, startKey, visitor);
        }
    }

    private record Entry(long logIndex, StoreWriter writer) implements ApplyContext {
        @Override
        public long timeMillis() {
            return 1_000_000;
        }

        @Override
        public long[] uniqueBits() {
            return new long[] {logIndex * 1_000, logIndex << 20};
        }
    }

    private static void apply(QueueEngine engine, Entry entry, QueueCommand command) {
        CommandFrame frame = CommandFrame.decode(ByteBuffer.wrap(QueueCommandCodec.encode(command)));
        engine.apply(frame.commandType(), frame.payload(), entry);
    }

    /** A read on a thread of its own, as an event loop's, bounded so that a read that waits fails the test. */
    private static Optional<String> policyReadElsewhere(QueueEngine engine, String name) throws Exception {
        return CompletableFuture.supplyAsync(() -> engine.policyOf(name)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPolicyReadAnswersWhileACommandIsBeingApplied() throws Exception {
        try (RocksStore store = RocksStore.open(dir, QueueKeys.COLUMN_FAMILIES)) {
            QueueEngine engine = UnknownQueueCommandIT.engine();
            engine.recover(store).join();
            try (EntryBatch batch = store.newBatch()) {
                apply(engine, new Entry(1, batch),
                        new QueueCommand.CreateQueue("orders", Map.of("Policy", POLICY), Map.of()));
                batch.commit(new AppliedPosition(1, 1, 1_000_000));
            }
            Optional<String> policy = engine.read(book -> Optional.ofNullable(book.settings("orders").policy()));
            assertTrue(policy.isPresent());

            try (EntryBatch batch = store.newBatch()) {
                HeldWriter held = new HeldWriter(batch);
                SendEntry message = new SendEntry("1", "body", null, Map.of(), null, null, null);
                CompletableFuture<Void> applying = CompletableFuture.runAsync(
                        () -> apply(engine, new Entry(2, held), new QueueCommand.Send("orders", List.of(message))));
                try {
                    held.writing.await();

                    // A read that waits for the engine's lock would wait until the release below: it fails here.
                    assertEquals(policy, policyReadElsewhere(engine, "orders"));
                    assertEquals(Optional.empty(), policyReadElsewhere(engine, "missing"));
                } finally {
                    held.release.countDown();
                }
                applying.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
