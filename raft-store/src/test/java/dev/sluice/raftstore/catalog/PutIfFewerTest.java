package dev.sluice.raftstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.StoreWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The count quota's check and claim as one apply: the last slot goes to one writer, and a refused claim writes nothing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PutIfFewerTest {
    private final TreeMap<String, byte[]> rows = new TreeMap<>();
    private final CatalogEngine engine = new CatalogEngine();

    @Test
    void theLastSlotGoesToOneCreateAndAnExistingKeyNeverCounts() {
        assertEquals(Catalog.Claim.STORED, claim("111122223333/a", "111122223333/", 2));
        assertEquals(Catalog.Claim.STORED, claim("999988887777/x", "999988887777/", 1), "another account's own count");
        assertEquals(Catalog.Claim.STORED, claim("111122223333/b", "111122223333/", 2));
        assertEquals(Catalog.Claim.FULL, claim("111122223333/c", "111122223333/", 2));
        assertNull(value("111122223333/c"), "a refused claim writes nothing");
        assertEquals(Catalog.Claim.EXISTS, claim("111122223333/a", "111122223333/", 2), "a retried create is not refused");
        assertEquals(Catalog.Claim.STORED, claim("111122223333/c", "111122223333/", 3), "a raised quota has room");
        assertEquals(4, rows.size());
    }

    private Catalog.Claim claim(String key, String prefix, long limit) {
        CommandFrame frame = CommandFrame.decode(ByteBuffer.wrap(Catalog.putIfFewerCommand("sns.topics", key,
                key.getBytes(StandardCharsets.UTF_8), prefix, limit)));
        byte[] result = engine.apply(frame.commandType(), frame.payload(), context());
        return Catalog.Claim.values()[result[0]];
    }

    private byte[] value(String key) {
        return rows.get(hex(CatalogKeys.key("sns.topics", key)));
    }

    private static String hex(byte[] key) {
        return java.util.HexFormat.of().formatHex(key);
    }

    /** An apply context over a sorted map (keys as hex keep the byte order). */
    private ApplyContext context() {
        StoreWriter writer = new StoreWriter() {
            @Override
            public byte[] get(String columnFamily, byte[] key) {
                return rows.get(hex(key));
            }

            @Override
            public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
                for (Map.Entry<String, byte[]> row : rows.tailMap(hex(prefix), true).entrySet()) {
                    byte[] key = java.util.HexFormat.of().parseHex(row.getKey());
                    if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
                            || !visitor.visit(key, row.getValue())) {
                        return;
                    }
                }
            }

            @Override
            public void put(String columnFamily, byte[] key, byte[] value) {
                rows.put(hex(key), value);
            }

            @Override
            public void delete(String columnFamily, byte[] key) {
                rows.remove(hex(key));
            }
        };
        return new ApplyContext() {
            @Override
            public long logIndex() {
                return 1;
            }

            @Override
            public long timeMillis() {
                return 0;
            }

            @Override
            public long[] uniqueBits() {
                return new long[] {1, 1};
            }

            @Override
            public StoreWriter writer() {
                return writer;
            }
        };
    }
}
