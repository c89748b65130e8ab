package dev.sluice.raftstore.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for command, result and key encodings. Strings and byte arrays
 * are length-prefixed. Not thread-safe: one writer per encoding.
 */
public final class BinaryWriter {
    private byte[] bytes;
    private int size;

    public BinaryWriter() {
        this(64);
    }

    public BinaryWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    public BinaryWriter putByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public BinaryWriter putBoolean(boolean value) {
        return putByte(value ? 1 : 0);
    }

    public BinaryWriter putShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public BinaryWriter putInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public BinaryWriter putLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Raw bytes, no length prefix: for fixed-width key parts. */
    public BinaryWriter putRaw(byte[] value) {
        return putRaw(value, 0, value.length);
    }

    public BinaryWriter putRaw(byte[] value, int offset, int length) {
        ensure(length);
        System.arraycopy(value, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** Length-prefixed bytes; null is written as length -1. */
    public BinaryWriter putBytes(byte[] value) {
        if (value == null) {
            return putInt(-1);
        }
        putInt(value.length);
        return putRaw(value);
    }

    /** Length-prefixed UTF-8; null is written as length -1. */
    public BinaryWriter putString(String value) {
        return putBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
