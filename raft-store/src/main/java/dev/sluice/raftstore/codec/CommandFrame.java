package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;

/**
 * One domain command as it travels through the log: {@code [formatVersion:1][commandType:2][payload]}.
 * Command type ids are an append-only registry owned by each domain engine; never renumber them.
 * A node that meets a format version it does not know stops rather than guesses.
 */
public record CommandFrame(int commandType, ByteBuffer payload) {
    public static final int FORMAT_VERSION = 1;

    /** Starts a frame; the caller appends the payload to the returned writer. */
    public static BinaryWriter writer(int commandType) {
        return writer(commandType, 128);
    }

    /** A frame's writer with room for {@code expectedBytes} in all (the header included), so a large one grows no copy. */
    public static BinaryWriter writer(int commandType, int expectedBytes) {
        return new BinaryWriter(Math.max(16, expectedBytes)).putByte(FORMAT_VERSION).putShort(commandType);
    }

    public static CommandFrame decode(ByteBuffer frame) {
        BinaryReader reader = new BinaryReader(frame);
        int version = reader.getByte();
        if (version != FORMAT_VERSION) {
            throw new CorruptFrameException("unknown command format version " + version);
        }
        int type = reader.getShort();
        ByteBuffer payload = frame.slice();
        payload.position(3);
        return new CommandFrame(type, payload.slice());
    }
}
