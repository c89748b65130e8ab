package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueBook;
import dev.sluice.raftstore.codec.CorruptFrameException;
import dev.sluice.raftstore.spi.StoreReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restart indexes a deep backlog on a thread of its own: the group's start does not wait for it, and nothing reads or
 * applies against a half-built index.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueEngineRecoveryTest {

    /** A store whose first scan waits until the test lets it go on, as indexing 100,000 messages keeps a thread busy. */
    private static final class SlowStore implements StoreReader {
        final CountDownLatch scanning = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public byte[] get(String columnFamily, byte[] key) {
            return null;
        }

        @Override
        public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
            scanning.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void recoverReturnsWhileTheStoreIsStillIndexedAndReadsWaitForTheIndex() throws Exception {
        QueueEngine engine = UnknownQueueCommandIT.engine();
        SlowStore store = new SlowStore();
        CompletableFuture<CompletableFuture<Void>> recovering = CompletableFuture.supplyAsync(() -> engine.recover(store));
        // Returns at once although the store's scan has not ended (it would hang here if recover indexed in place).
        CompletableFuture<Void> rebuilt = recovering.get(5, TimeUnit.SECONDS);
        assertTrue(store.scanning.await(5, TimeUnit.SECONDS));
        assertFalse(rebuilt.isDone());

        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> engine.read(QueueBook::queueCount));
        assertThrows(TimeoutException.class, () -> read.get(300, TimeUnit.MILLISECONDS), "a read waits for the index");

        store.release.countDown();
        rebuilt.get(5, TimeUnit.SECONDS);
        assertEquals(0, read.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aStoreThatCannotBeIndexedFailsTheRebuildAndEveryLaterRead() {
        QueueEngine engine = UnknownQueueCommandIT.engine();
        StoreReader corrupt = new StoreReader() {
            @Override
            public byte[] get(String columnFamily, byte[] key) {
                return null;
            }

            @Override
            public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
                throw new CorruptFrameException("truncated queue record");
            }
        };
        CompletableFuture<Void> rebuilt = engine.recover(corrupt);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> rebuilt.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof CorruptFrameException);
        assertThrows(CompletionException.class, () -> engine.read(QueueBook::queueCount));
    }
}
