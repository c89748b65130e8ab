package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.codec.ProposalCodec;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A log entry's data: the leader's {@link EntryHeader}, then the client's proposal (see {@link ProposalCodec}).
 *
 * <p>On the leader the entry applied is the one {@link #stamp} built, a rope of the two parts; reading each part as its
 * own view keeps the proposal where it is (a rope's {@code asReadOnlyByteBuffer} would flatten it into a copy).
 */
record StampedEntry(EntryHeader header, List<ByteBuffer> commands) {

    static ByteString stamp(EntryHeader header, ByteString proposal) {
        return UnsafeByteOperations.unsafeWrap(header.encode()).concat(proposal);
    }

    static StampedEntry read(ByteString logData) {
        int headerBytes = Math.min(EntryHeader.SIZE, logData.size());
        EntryHeader header = EntryHeader.read(logData.substring(0, headerBytes).asReadOnlyByteBuffer());
        return new StampedEntry(header, ProposalCodec.decode(logData.substring(headerBytes).asReadOnlyByteBuffer()));
    }
}
