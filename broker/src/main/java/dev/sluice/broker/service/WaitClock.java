package dev.sluice.broker.service;

/**
 * The clock a wait in real time is measured on: a long poll's WaitTimeSeconds (the client waits it out on its own
 * clock), a retry's give-up. Monotonic milliseconds (System.nanoTime), never the service clock: that one tells queue
 * time (it is stamped into the log and compared with visibility deadlines), may step (NTP) and stands still in a
 * simulation ({@code simulation.clockFile}), where a wait measured on it would never end. Only differences of its
 * readings mean anything. Stateless.
 */
public final class WaitClock {
    private WaitClock() {
    }

    /** Milliseconds since an arbitrary origin, never going back. */
    public static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
