package dev.sluice.notify.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * One worker's recurring failure (its loop retrying every second while, say, a leader is elected): decides
 * when it is worth a log line: the first failure, then at most once per interval while it lasts; and whether
 * a success ends it (worth a recovery line). Confined to the one worker loop that owns it.
 */
final class RepeatedFailure {
    static final Duration LOG_INTERVAL = Duration.ofMinutes(5);

    private final InstantSource clock;
    private Instant lastLogged;
    private long failures;

    RepeatedFailure(InstantSource clock) {
        this.clock = clock;
    }

    /** Counts a failure; true when it should be logged. */
    boolean failed() {
        failures++;
        Instant now = clock.instant();
        if (lastLogged == null || !now.isBefore(lastLogged.plus(LOG_INTERVAL))) {
            lastLogged = now;
            return true;
        }
        return false;
    }

    /** The failures since the condition began. */
    long failures() {
        return failures;
    }

    /** Ends the condition; true when there was one (so its recovery is worth a line). */
    boolean recovered() {
        boolean was = failures > 0;
        failures = 0;
        lastLogged = null;
        return was;
    }
}
