package dev.sluice.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.core.QueueRecord;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stored queue record may only grow: an open queue is stored as version 1, byte for byte as before layouts
 * existed (every earlier release and every snapshot reads it), a fenced or partitioned one as version 2 with its
 * layout appended. Files under src/test/resources/golden/records ({@code -Dgolden.write=true} writes them).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoredQueueRecordGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/records");

    private static QueueRecord record(QueueLayout layout) {
        return new QueueRecord(42, "orders.fifo", Map.of("FifoQueue", "true", "VisibilityTimeout", "30"),
                new TreeMap<>(Map.of("team", "ops")), 1_000, 2_000, 0, layout);
    }

    private static void assertGolden(String name, QueueRecord record) throws IOException {
        Path file = GOLDEN.resolve(name + ".hex");
        byte[] encoded = StoredRecordCodec.encodeQueue(record);
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
        }
        byte[] golden = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
        assertEquals(HexFormat.of().formatHex(golden), HexFormat.of().formatHex(encoded), name);
        assertEquals(record, StoredRecordCodec.decodeQueue(golden), name + " decodes back");
    }

    @Test
    void anOpenQueueIsStoredInTheFirstVersionAsBefore() throws IOException {
        assertGolden("queue-open", record(QueueLayout.OPEN));
        assertEquals(1, StoredRecordCodec.encodeQueue(record(QueueLayout.OPEN))[0]);
    }

    @Test
    void aFencedPartitionIsStoredWithItsLayout() throws IOException {
        assertGolden("queue-with-layout", record(new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 2, 4)));
    }

    @Test
    void anUnknownFenceCodeIsCorruptionNotAGuess() {
        byte[] stored = StoredRecordCodec.encodeQueue(record(new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0)));
        stored[stored.length - 9] = 9;
        assertThrows(CorruptFrameException.class, () -> StoredRecordCodec.decodeQueue(stored));
    }
}
