package dev.sluice.notify.service;

import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** SNS's timestamps, ISO-8601 UTC with milliseconds ({@code 2026-11-24T01:02:03.456Z}), from an injected clock. */
final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final InstantSource clock;

    Timestamps(InstantSource clock) {
        this.clock = clock;
    }

    String now() {
        return FORMAT.format(clock.instant());
    }

    InstantSource clock() {
        return clock;
    }
}
