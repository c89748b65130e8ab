package dev.sluice.raftstore.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommitStampTest {
    @Test
    void aStampedEntryCarriesTheLeadersCommitIndexInAFixedLayout() {
        byte[] header = new EntryHeader(0x0102030405060708L, -1L, 300L).encode();
        assertEquals("02" + "0102030405060708" + "ffffffffffffffff" + "000000000000012c",
                HexFormat.of().formatHex(header));
        assertEquals(300L, CommitStamp.read(ByteBuffer.wrap(header)));
    }

    @Test
    void aHeaderWithoutAStampIsWrittenInFormatOneByteForByteAsAnEarlierRelease() {
        byte[] header = new EntryHeader(0x0102030405060708L, -1L, EntryHeader.NO_STAMP).encode();
        assertEquals("01" + "0102030405060708" + "ffffffffffffffff", HexFormat.of().formatHex(header));
        assertEquals(new EntryHeader(0x0102030405060708L, -1L, EntryHeader.NO_STAMP), EntryHeader.read(ByteBuffer.wrap(header)));
    }

    @Test
    void aMarkerCarriesOnlyTheCommitIndexAndIsToldApartFromAClientEntry() {
        byte[] marker = CommitStamp.marker(77L);
        assertEquals("03" + "000000000000004d", HexFormat.of().formatHex(marker));
        assertTrue(CommitStamp.isMarker(ByteBuffer.wrap(marker)));
        assertEquals(77L, CommitStamp.read(ByteBuffer.wrap(marker)));
        assertFalse(CommitStamp.isMarker(ByteBuffer.wrap(new EntryHeader(1, 2, 3).encode())));
    }

    @Test
    void anEntryWrittenBeforeTheStampClaimsNothing() {
        byte[] unstamped = ByteBuffer.allocate(EntryHeader.UNSTAMPED_SIZE + 12).put((byte) 1).putLong(5).putLong(6)
                .put(ProposalCodec.encode(List.of(new byte[4]))).array();
        assertEquals(EntryHeader.NO_STAMP, CommitStamp.read(ByteBuffer.wrap(unstamped)));
        assertFalse(CommitStamp.isMarker(ByteBuffer.wrap(unstamped)));
    }

    @Test
    void aFormatThisNodeDoesNotKnowStopsTheReadOfItsHeader() {
        ByteBuffer unknown = ByteBuffer.wrap(new byte[EntryHeader.SIZE]).put(0, (byte) 9);
        assertThrows(CorruptFrameException.class, () -> EntryHeader.read(unknown));
        assertEquals(EntryHeader.NO_STAMP, CommitStamp.read(unknown));
    }
}
