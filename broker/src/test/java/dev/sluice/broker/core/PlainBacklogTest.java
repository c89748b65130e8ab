package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlainBacklogTest {

    @Test
    void theHeadIsTheLowestSequenceNumberWithItsRetentionStart() {
        PlainBacklog backlog = new PlainBacklog();
        assertEquals(Long.MAX_VALUE, backlog.firstSeq());
        backlog.append(10, 1_000, 7);
        backlog.append(12, 1_002, 9);
        assertEquals(10, backlog.firstSeq());
        assertEquals(1_000, backlog.firstRetainedSinceMillis());
        assertEquals(7, backlog.firstPayloadBytes());
        assertEquals(1_002, backlog.retainedSinceMillis(12));
        assertEquals(9, backlog.payloadBytes(12));
        assertEquals(2, backlog.size());
    }

    @Test
    void onlyHigherSequenceNumbersAreAppended() {
        PlainBacklog backlog = new PlainBacklog();
        backlog.append(5, 0, 7);
        assertFalse(backlog.acceptsNext(5));
        assertFalse(backlog.acceptsNext(4));
        assertTrue(backlog.acceptsNext(6));
        assertThrows(IllegalArgumentException.class, () -> backlog.append(3, 0, 7));
    }

    @Test
    void removalsFromTheHeadMiddleAndTailAcrossChunksKeepTheOrder() {
        PlainBacklog backlog = new PlainBacklog();
        int count = PlainBacklog.CHUNK * 3 + 7;
        for (int i = 0; i < count; i++) {
            backlog.append(2L * i, 100L + i, 1_000 + i);
        }
        assertTrue(backlog.remove(0));
        assertTrue(backlog.remove(2L * PlainBacklog.CHUNK + 2));
        assertTrue(backlog.remove(2L * (count - 1)));
        assertFalse(backlog.remove(3), "an odd number was never held");
        assertFalse(backlog.remove(0), "removed once already");
        assertFalse(backlog.contains(2L * PlainBacklog.CHUNK + 2));
        assertTrue(backlog.contains(2L * PlainBacklog.CHUNK + 4));
        assertEquals(100L + PlainBacklog.CHUNK + 2, backlog.retainedSinceMillis(2L * PlainBacklog.CHUNK + 4));
        assertEquals(count - 3, backlog.size());
        List<Long> seen = new ArrayList<>();
        backlog.forEach((seq, retainedSince, payloadBytes) -> {
            assertEquals(100L + seq / 2, retainedSince);
            assertEquals(1_000 + seq / 2, payloadBytes, "a removal from the middle shifts sizes with their messages");
            return seen.add(seq);
        });
        assertEquals(count - 3, seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1) < seen.get(i));
        }
        assertEquals(2, backlog.firstSeq());
    }

    @Test
    void aChunkEmptiedFromTheHeadIsDroppedAndAppendsGoOn() {
        PlainBacklog backlog = new PlainBacklog();
        for (int i = 0; i < PlainBacklog.CHUNK + 1; i++) {
            backlog.append(i, i, 7);
        }
        for (int i = 0; i < PlainBacklog.CHUNK + 1; i++) {
            assertEquals(i, backlog.firstSeq());
            assertTrue(backlog.remove(i));
        }
        assertTrue(backlog.isEmpty());
        backlog.append(5_000, 7, 7);
        assertEquals(5_000, backlog.firstSeq());
        assertEquals(7, backlog.firstRetainedSinceMillis());
    }

    @Test
    void clearTellsEverySequenceNumberInOrderAndEmpties() {
        PlainBacklog backlog = new PlainBacklog();
        backlog.append(1, 0, 7);
        backlog.append(4, 0, 7);
        backlog.append(9, 0, 7);
        List<Long> removed = new ArrayList<>();
        backlog.clear(removed::add);
        assertEquals(List.of(1L, 4L, 9L), removed);
        assertTrue(backlog.isEmpty());
        assertFalse(backlog.contains(4));
        backlog.append(2, 0, 7);
        assertArrayEquals(new long[] {2}, new long[] {backlog.firstSeq()});
    }
}
