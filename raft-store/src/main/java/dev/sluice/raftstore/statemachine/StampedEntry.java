package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.codec.ProposalCodec;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A log entry's data: the leader's {@link EntryHeader}, then the client's proposal (see {@link ProposalCodec}). A
 * commit marker ({@link dev.sluice.raftstore.codec.CommitStamp}) is not one: apply tells them apart first.
 *
 * <p>On the leader the entry applied is the one {@link #stamp} built, a rope of the two parts; reading each part as its
 * own view keeps the proposal where it is (a rope's {@code asReadOnlyByteBuffer} would flatten it into a copy).
 */
record StampedEntry(EntryHeader header, List<ByteBuffer> commands) {

    static ByteString stamp(EntryHeader header, ByteString proposal) {
        return UnsafeByteOperations.unsafeWrap(header.encode()).concat(proposal);
    }

    static StampedEntry read(ByteString logData) {
        ByteBuffer prefix = logData.substring(0, Math.min(EntryHeader.SIZE, logData.size())).asReadOnlyByteBuffer();
        EntryHeader header = EntryHeader.read(prefix);
        int headerBytes = prefix.position(); // 17 for an entry written before the commit stamp, 25 after
        return new StampedEntry(header, ProposalCodec.decode(logData.substring(headerBytes).asReadOnlyByteBuffer()));
    }
}
