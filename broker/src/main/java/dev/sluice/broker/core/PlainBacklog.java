package dev.sluice.broker.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The deep-backlog part of a standard queue's index: messages never received, sent without a delay or a
 * MessageGroupId. Such a message is ready from the moment it is stored until its first receive, and a standard queue
 * takes ready messages in sequence order, so all the index needs of it is its sequence number and when its retention
 * started, and its payload size (what stored byte-hours bill): 20 bytes, instead of an object and tree nodes (~170
 * bytes). Held in chunks of
 * {@link #CHUNK} sorted pairs; receives take from the head, appends go to the tail, and the rare removal from the
 * middle (a purge, a handle guessed for a message never received) shifts within one chunk. Owned by the apply
 * thread; readers hold the engine's read lock. Iteration is in sequence order (deterministic).
 */
final class PlainBacklog {
    /** Messages per chunk: a chunk costs 20 KiB of arrays plus ~100 bytes, so its own overhead is under 1%. */
    static final int CHUNK = 1024;

    /** A run of ascending pairs in {@code [start, end)} of its arrays. */
    private static final class Chunk {
        final long[] seqs = new long[CHUNK];
        final long[] retainedSince = new long[CHUNK];
        final int[] payloadBytes = new int[CHUNK];
        int start;
        int end;

        int size() {
            return end - start;
        }

        /** The index of {@code seq} in this chunk, or -1. */
        int indexOf(long seq) {
            int found = java.util.Arrays.binarySearch(seqs, start, end, seq);
            return found >= 0 ? found : -1;
        }
    }

    /** Chunks by the first sequence number they were created with; every later chunk holds only larger numbers. */
    private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
    private int size;

    /** Whether {@code seq} may be appended: above every sequence number held (they only grow within a queue). */
    boolean acceptsNext(long seq) {
        var last = chunks.lastEntry();
        return last == null || last.getValue().size() == 0 || seq > last.getValue().seqs[last.getValue().end - 1];
    }

    /** Appends a message; the caller checked {@link #acceptsNext}. */
    void append(long seq, long retainedSinceMillis, int payloadBytes) {
        if (!acceptsNext(seq)) {
            throw new IllegalArgumentException("sequence number " + seq + " is not above the backlog's last");
        }
        var last = chunks.lastEntry();
        Chunk chunk = last == null ? null : last.getValue();
        if (chunk == null || chunk.end == CHUNK) {
            chunk = new Chunk();
            chunks.put(seq, chunk);
        }
        chunk.seqs[chunk.end] = seq;
        chunk.retainedSince[chunk.end] = retainedSinceMillis;
        chunk.payloadBytes[chunk.end] = payloadBytes;
        chunk.end++;
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The lowest sequence number held; Long.MAX_VALUE when empty. */
    long firstSeq() {
        return size == 0 ? Long.MAX_VALUE : head().seqs[head().start];
    }

    /** When the retention of the lowest sequence number held started; the backlog must not be empty. */
    long firstRetainedSinceMillis() {
        Chunk head = head();
        return head.retainedSince[head.start];
    }

    /** The payload size of the lowest sequence number held; the backlog must not be empty. */
    int firstPayloadBytes() {
        Chunk head = head();
        return head.payloadBytes[head.start];
    }

    boolean contains(long seq) {
        Chunk chunk = chunkOf(seq);
        return chunk != null && chunk.indexOf(seq) >= 0;
    }

    /** When the retention of {@code seq} started; the backlog must hold it ({@link #contains}). */
    long retainedSinceMillis(long seq) {
        Chunk chunk = chunkOf(seq);
        return chunk.retainedSince[chunk.indexOf(seq)];
    }

    /** The payload size of {@code seq}; the backlog must hold it ({@link #contains}). */
    int payloadBytes(long seq) {
        Chunk chunk = chunkOf(seq);
        return chunk.payloadBytes[chunk.indexOf(seq)];
    }

    /** Takes {@code seq} out; false when it is not held. O(1) at the head, O({@link #CHUNK}) elsewhere. */
    boolean remove(long seq) {
        var entry = chunks.floorEntry(seq);
        if (entry == null) {
            return false;
        }
        Chunk chunk = entry.getValue();
        int at = chunk.indexOf(seq);
        if (at < 0) {
            return false;
        }
        if (at == chunk.start) {
            chunk.start++;
        } else {
            System.arraycopy(chunk.seqs, at + 1, chunk.seqs, at, chunk.end - at - 1);
            System.arraycopy(chunk.retainedSince, at + 1, chunk.retainedSince, at, chunk.end - at - 1);
            System.arraycopy(chunk.payloadBytes, at + 1, chunk.payloadBytes, at, chunk.end - at - 1);
            chunk.end--;
        }
        size--;
        if (chunk.size() == 0) {
            chunks.remove(entry.getKey());
        }
        return true;
    }

    /** Calls {@code visitor} with every sequence number held, ascending, until it answers false. */
    void forEach(SeqVisitor visitor) {
        for (Chunk chunk : chunks.values()) {
            for (int i = chunk.start; i < chunk.end; i++) {
                if (!visitor.visit(chunk.seqs[i], chunk.retainedSince[i], chunk.payloadBytes[i])) {
                    return;
                }
            }
        }
    }

    /** Empties the backlog, telling {@code removed} every sequence number it held, ascending. */
    void clear(LongConsumer removed) {
        forEach((seq, retainedSince, payloadBytes) -> {
            removed.accept(seq);
            return true;
        });
        chunks.clear();
        size = 0;
    }

    /** Sees one held message; answers whether to go on. */
    @FunctionalInterface
    interface SeqVisitor {
        boolean visit(long seq, long retainedSinceMillis, int payloadBytes);
    }

    private Chunk head() {
        return chunks.firstEntry().getValue();
    }

    private Chunk chunkOf(long seq) {
        Map.Entry<Long, Chunk> entry = chunks.floorEntry(seq);
        return entry == null ? null : entry.getValue();
    }
}
