package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BinaryWriter} wrote. Throws {@link CorruptFrameException} on truncated input. Not thread-safe: one
 * reader per decoding.
 */
public final class BinaryReader {
    private final ByteBuffer buffer;
    private byte[] scratch = new byte[0];

    public BinaryReader(ByteBuffer buffer) {
        this.buffer = buffer.slice();
    }

    public BinaryReader(byte[] bytes) {
        this(ByteBuffer.wrap(bytes));
    }

    public int getByte() {
        need(1);
        return buffer.get() & 0xFF;
    }

    public boolean getBoolean() {
        return getByte() != 0;
    }

    public int getShort() {
        need(2);
        return buffer.getShort() & 0xFFFF;
    }

    public int getInt() {
        need(4);
        return buffer.getInt();
    }

    public long getLong() {
        need(8);
        return buffer.getLong();
    }

    public byte[] getRaw(int length) {
        need(length);
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }

    public byte[] getBytes() {
        int length = getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new CorruptFrameException("negative length " + length);
        }
        return getRaw(length);
    }

    /** A view of the next length-prefixed bytes, without copying. */
    public ByteBuffer getBytesView() {
        int length = getInt();
        if (length < 0) {
            throw new CorruptFrameException("negative length " + length);
        }
        need(length);
        ByteBuffer view = buffer.slice();
        view.limit(length);
        buffer.position(buffer.position() + length);
        return view;
    }

    /** Steps over the next length-prefixed bytes (or string) without reading them; answers their length, -1 for null. */
    public int skipBytes() {
        int length = getInt();
        if (length == -1) {
            return -1;
        }
        if (length < 0) {
            throw new CorruptFrameException("negative length " + length);
        }
        need(length);
        buffer.position(buffer.position() + length);
        return length;
    }

    /** Decodes in place when the bytes are in a heap array (the usual case), with no intermediate copy. */
    public String getString() {
        int at = buffer.position();
        int length = skipBytes();
        if (length == -1) {
            return null;
        }
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + at + 4, length, StandardCharsets.UTF_8);
        }
        // A read-only view (a Raft entry's) hides its array: copy through one scratch array per reader.
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        buffer.get(at + 4, scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    public int remaining() {
        return buffer.remaining();
    }

    public boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    private void need(int length) {
        if (buffer.remaining() < length) {
            throw new CorruptFrameException("need " + length + " bytes, have " + buffer.remaining());
        }
    }
}
