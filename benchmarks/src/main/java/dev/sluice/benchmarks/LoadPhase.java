package dev.sluice.benchmarks;

/** Where a load run is; it only moves forward, in this order. */
enum LoadPhase {
    /** Producers and consumers run; nothing is counted into the window. */
    WARMUP,
    /** Producers and consumers run; completions are counted and latencies recorded. */
    MEASURE,
    /** Producers stop; consumers empty the queue, until an empty receive or the drain limit. */
    DRAIN,
    /** Everyone stops after the request they have in flight. */
    STOPPED
}
