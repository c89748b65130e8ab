package dev.sluice.raftstore.catalog;

import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CorruptFrameException;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Namespaced key/value state. Stateless in memory, so queries need no locking beyond RocksDB's. */
public final class CatalogEngine implements DomainEngine {

    @Override
    public List<String> columnFamilies() {
        return List.of(CatalogKeys.COLUMN_FAMILY);
    }

    @Override
    public CompletableFuture<Void> recover(StoreReader reader) {
        // All state lives in RocksDB.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
        BinaryReader in = new BinaryReader(payload);
        String namespace = in.getString();
        byte[] key = CatalogKeys.key(namespace, in.getString());
        var writer = context.writer();
        byte[] existing = writer.get(CatalogKeys.COLUMN_FAMILY, key);
        switch (commandType) {
            case CatalogCommand.PUT -> {
                writer.put(CatalogKeys.COLUMN_FAMILY, key, in.getBytes());
                return new byte[] {(byte) (existing != null ? 1 : 0)};
            }
            case CatalogCommand.PUT_IF_ABSENT -> {
                if (existing != null) {
                    return new BinaryWriter().putBoolean(false).putBytes(existing).toByteArray();
                }
                writer.put(CatalogKeys.COLUMN_FAMILY, key, in.getBytes());
                return new BinaryWriter().putBoolean(true).toByteArray();
            }
            case CatalogCommand.DELETE -> {
                if (existing != null) {
                    writer.delete(CatalogKeys.COLUMN_FAMILY, key);
                }
                return new byte[] {(byte) (existing != null ? 1 : 0)};
            }
            case CatalogCommand.REPLACE_IF -> {
                byte[] expected = in.getBytes();
                byte[] replacement = in.getBytes();
                boolean matches = existing != null && Arrays.equals(existing, expected);
                if (matches) {
                    writer.put(CatalogKeys.COLUMN_FAMILY, key, replacement);
                }
                return new BinaryWriter().putBoolean(matches).toByteArray();
            }
            case CatalogCommand.DELETE_IF -> {
                boolean matches = existing != null && Arrays.equals(existing, in.getBytes());
                if (matches) {
                    writer.delete(CatalogKeys.COLUMN_FAMILY, key);
                }
                return new BinaryWriter().putBoolean(matches).toByteArray();
            }
            case CatalogCommand.PUT_IF_FEWER -> {
                byte[] value = in.getBytes();
                String countedPrefix = in.getString();
                long limit = in.getLong();
                if (existing != null) {
                    return new byte[] {(byte) Catalog.Claim.EXISTS.ordinal()};
                }
                if (keysUnder(writer, CatalogKeys.key(namespace, countedPrefix), limit) >= limit) {
                    return new byte[] {(byte) Catalog.Claim.FULL.ordinal()};
                }
                writer.put(CatalogKeys.COLUMN_FAMILY, key, value);
                return new byte[] {(byte) Catalog.Claim.STORED.ordinal()};
            }
            default -> throw new CorruptFrameException("unknown catalog command type " + commandType);
        }
    }

    /** Keys starting with {@code prefix} (a storage key: namespace and key prefix), counted up to {@code limit}. */
    private static long keysUnder(StoreReader reader, byte[] prefix, long limit) {
        long[] count = {0};
        reader.scan(CatalogKeys.COLUMN_FAMILY, prefix, null, (found, value) -> ++count[0] < limit);
        return count[0];
    }

    @Override
    public byte[] query(ByteBuffer request, StoreReader reader) {
        BinaryReader in = new BinaryReader(request);
        int type = in.getByte();
        String namespace = in.getString();
        if (type == CatalogCommand.QUERY_GET) {
            byte[] value = reader.get(CatalogKeys.COLUMN_FAMILY, CatalogKeys.key(namespace, in.getString()));
            return new BinaryWriter().putBoolean(value != null).putBytes(value).toByteArray();
        }
        if (type == CatalogCommand.QUERY_SCAN) {
            return scan(reader, namespace, in.getString(), in.getString(), in.getInt());
        }
        throw new IllegalArgumentException("unknown catalog query type " + type);
    }

    private static byte[] scan(StoreReader reader, String namespace, String keyPrefix, String startAfter, int limit) {
        byte[] namespacePrefix = CatalogKeys.prefix(namespace);
        byte[] prefix = CatalogKeys.key(namespace, keyPrefix);
        byte[] start = startAfter == null ? null : CatalogKeys.key(namespace, startAfter + '\0');
        int bounded = Math.max(1, Math.min(limit, CatalogCommand.SCAN_LIMIT_MAX));
        BinaryWriter entries = new BinaryWriter();
        int[] count = {0};
        boolean[] more = {false};
        reader.scan(CatalogKeys.COLUMN_FAMILY, prefix, start, (key, value) -> {
            if (count[0] == bounded) {
                more[0] = true;
                return false;
            }
            entries.putString(CatalogKeys.keyPart(key, namespacePrefix.length)).putBytes(value);
            count[0]++;
            return true;
        });
        return new BinaryWriter(entries.size() + 8).putInt(count[0]).putBoolean(more[0])
                .putRaw(entries.toByteArray()).toByteArray();
    }
}
