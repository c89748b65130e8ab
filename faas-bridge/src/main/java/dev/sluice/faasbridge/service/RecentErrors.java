package dev.sluice.faasbridge.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last few problems of one mapping on this bridge (failed invocations, partial batch failures, failed receives),
 * newest first, for the operator's view of the mapping ({@code RecentErrors}, {@code LastProcessingResult}). At most
 * {@link #LIMIT} are kept; node-local, gone when the process restarts. Thread-safe.
 */
public final class RecentErrors {
    /** How many problems a mapping keeps. */
    static final int LIMIT = 10;

    /** One problem: when, and what in words. */
    public record Entry(Instant at, String message) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    /** Null until a batch was processed or a problem happened. */
    private String last;

    synchronized void failed(Instant at, String message) {
        entries.addFirst(new Entry(at, message));
        while (entries.size() > LIMIT) {
            entries.removeLast();
        }
        last = "PROBLEM: " + message;
    }

    /** A batch was processed without a problem. */
    synchronized void succeeded() {
        last = "OK";
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Lambda's LastProcessingResult in spirit: {@code OK}, {@code PROBLEM: <latest>}, or "No records processed". */
    public synchronized String lastProcessingResult() {
        return last == null ? "No records processed" : last;
    }
}
