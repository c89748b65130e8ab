package dev.sluice.raftstore.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.codec.CorruptFrameException;
import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.codec.ProposalCodec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StampedEntryTest {
    private static final EntryHeader HEADER = new EntryHeader(1_700_000_000_123L, -42L, 41L);

    @Test
    void theLeadersStampedRopeIsReadWithoutCopyingTheProposal() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 7);
        ByteString proposal = UnsafeByteOperations.unsafeWrap(ProposalCodec.encode(List.of(new byte[] {1, 2, 3}, big)));
        ByteString logData = StampedEntry.stamp(HEADER, proposal);
        StampedEntry.read(logData);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        StampedEntry read = StampedEntry.read(logData);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(HEADER, read.header());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), read.commands().get(0));
        assertEquals(ByteBuffer.wrap(big), read.commands().get(1));
        assertTrue(allocated < 64 * 1024, "views, not a flattened copy of the 1 MiB entry: allocated " + allocated);
    }

    @Test
    void aFlatEntryAsAFollowerReadsItFromTheLogGivesTheSameHeaderAndCommands() {
        ByteString flat = ByteString.copyFrom(StampedEntry.stamp(HEADER,
                UnsafeByteOperations.unsafeWrap(ProposalCodec.encode(List.of(new byte[] {9}, new byte[0])))).toByteArray());
        StampedEntry read = StampedEntry.read(flat);
        assertEquals(HEADER, read.header());
        assertEquals(List.of(ByteBuffer.wrap(new byte[] {9}), ByteBuffer.wrap(new byte[0])), read.commands());
    }

    @Test
    void anEntryWrittenBeforeTheCommitStampStillReadsWithNoStamp() {
        ByteBuffer unstamped = ByteBuffer.allocate(EntryHeader.UNSTAMPED_SIZE + 9).put((byte) 1)
                .putLong(1_700_000_000_123L).putLong(-42L).put(ProposalCodec.encode(List.of(new byte[] {9})));
        StampedEntry read = StampedEntry.read(ByteString.copyFrom(unstamped.array()));
        assertEquals(new EntryHeader(1_700_000_000_123L, -42L, EntryHeader.NO_STAMP), read.header());
        assertEquals(List.of(ByteBuffer.wrap(new byte[] {9})), read.commands());
    }

    @Test
    void anEntryShorterThanItsHeaderIsCorruptNotAnIndexError() {
        assertThrows(CorruptFrameException.class, () -> StampedEntry.read(ByteString.copyFrom(new byte[] {1, 0, 0})));
        assertThrows(CorruptFrameException.class, () -> StampedEntry.read(ByteString.copyFrom(HEADER.encode())));
    }
}
