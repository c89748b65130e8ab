package dev.sluice.broker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.core.StoredMessage;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receive reads the bodies it takes in one read ({@link RocksQueueStorage#readMessages}), and gets exactly what a
 * read of each body gets: a message sent earlier in the same entry, one in a table flushed long ago, and for a body
 * that is gone, the same error.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageBodyReadTest {
    private static final long QUEUE = 7;

    @TempDir
    Path dir;

    private static StoredMessage message(String body) {
        return new StoredMessage("id-" + body, 1_000, 1_000, body, Map.of(), null, null, null, null);
    }

    @Test
    void aBatchedReadOfBodiesAnswersAsReadsOfEachDo() throws IOException {
        try (RocksStore store = RocksStore.open(dir, QueueKeys.COLUMN_FAMILIES)) {
            RocksQueueStorage storage = new RocksQueueStorage();
            try (EntryBatch old = store.newBatch()) {
                storage.use(old);
                for (long seq = 1; seq <= 5; seq++) {
                    storage.putMessage(QUEUE, seq, message("old-" + seq));
                }
                storage.putMessage(QUEUE + 1, 1, message("other queue"));
                old.commit(new AppliedPosition(1, 1, 100));
            }
        }
        // Closing flushes the memtables: the first entry's bodies are in an SST file now.
        try (RocksStore store = RocksStore.open(dir, QueueKeys.COLUMN_FAMILIES);
                EntryBatch entry = store.newBatch()) {
            RocksQueueStorage storage = new RocksQueueStorage();
            storage.use(entry);
            storage.putMessage(QUEUE, 6, message("sent in this entry"));
            storage.putMessage(QUEUE, 3, message("rewritten in this entry"));
            storage.deleteMessage(QUEUE, 2);

            long[] present = {1, 3, 4, 6, 5};
            List<StoredMessage> single = new ArrayList<>();
            for (long seq : present) {
                single.add(storage.readMessage(QUEUE, seq));
            }
            assertEquals(single, storage.readMessages(QUEUE, present));
            assertEquals(List.of(message("old-1"), message("rewritten in this entry"), message("old-4"),
                    message("sent in this entry"), message("old-5")), single);
            assertEquals(List.of(), storage.readMessages(QUEUE, new long[0]));

            String deleted = assertThrows(IllegalStateException.class, () -> storage.readMessage(QUEUE, 2))
                    .getMessage();
            assertEquals(deleted, assertThrows(IllegalStateException.class,
                    () -> storage.readMessages(QUEUE, new long[] {1, 2, 6})).getMessage(), "deleted in this entry");
            String missing = assertThrows(IllegalStateException.class, () -> storage.readMessage(QUEUE, 9))
                    .getMessage();
            assertEquals(missing, assertThrows(IllegalStateException.class,
                    () -> storage.readMessages(QUEUE, new long[] {9, 1})).getMessage(), "never stored");
        }
    }
}
