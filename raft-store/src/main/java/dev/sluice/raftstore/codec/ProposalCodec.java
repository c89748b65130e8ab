package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs many command frames into one Raft entry, and many results into one reply, so that
 * concurrent requests share a log entry, an fsync and a RocksDB write batch.
 *
 * <p>Proposal: {@code [count:4]{[length:4][frame]}*}. The leader prefixes the stamp (see
 * {@link EntryHeader}) before the entry is appended. Reply: {@code [count:4]{[length:4][result]}*}.
 */
public final class ProposalCodec {
    private ProposalCodec() {
    }

    public static byte[] encode(List<byte[]> items) {
        int total = 4;
        for (byte[] item : items) {
            total += 4 + item.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(items.size());
        for (byte[] item : items) {
            out.putInt(item.length).put(item);
        }
        return out.array();
    }

    /** Views into {@code packed}, no copies. */
    public static List<ByteBuffer> decode(ByteBuffer packed) {
        BinaryReader reader = new BinaryReader(packed);
        int count = reader.getInt();
        if (count < 0) {
            throw new CorruptFrameException("negative item count " + count);
        }
        List<ByteBuffer> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(reader.getBytesView());
        }
        return items;
    }
}
