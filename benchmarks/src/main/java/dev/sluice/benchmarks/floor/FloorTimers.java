package dev.sluice.benchmarks.floor;

/** One-shot timers for the long polls' deadlines: Vert.x's in the server, so that no thread of its own is added. */
interface FloorTimers {

    /** Runs {@code action} once after {@code delayMillis} (at least 1); returns an id for {@link #cancel}. */
    long schedule(long delayMillis, Runnable action);

    /** Cancels a timer not yet fired; an unknown or negative id is ignored. */
    void cancel(long timerId);
}
