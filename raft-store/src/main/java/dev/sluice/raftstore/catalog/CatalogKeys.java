package dev.sluice.raftstore.catalog;

import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.charset.StandardCharsets;

/** Storage keys {@code [namespaceLength:2][namespace][key]}: one namespace is one contiguous, ordered range. */
final class CatalogKeys {
    static final String COLUMN_FAMILY = "catalog";

    private CatalogKeys() {
    }

    static byte[] prefix(String namespace) {
        byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
        return new BinaryWriter(name.length + 2).putShort(name.length).putRaw(name).toByteArray();
    }

    static byte[] key(String namespace, String key) {
        byte[] prefix = prefix(namespace);
        byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
        return new BinaryWriter(prefix.length + suffix.length).putRaw(prefix).putRaw(suffix).toByteArray();
    }

    static String keyPart(byte[] storageKey, int prefixLength) {
        return new String(storageKey, prefixLength, storageKey.length - prefixLength, StandardCharsets.UTF_8);
    }
}
