package dev.sluice.raftstore.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One stage of a request's way through this node, timed across threads (a hop from one thread to another, a wait in
 * a queue, a Raft write), as a JDK Flight Recorder event. Off unless a recording enables {@value #NAME}
 * ({@code benchmarks/sluice-stages.jfc}; {@code run-latency.sh} does): then each call costs one event, otherwise one
 * enabled check. Callers take {@code System.nanoTime()} at the stage's start, which costs nanoseconds either way.
 * Any thread may call {@link #record}.
 */
@Name(StageEvent.NAME)
@Label("Sluice stage")
@Category("Sluice")
@Description("Time one request spent in one stage on this node (thread hops, queueing, Raft writes)")
@StackTrace(false)
@Enabled(false)
public final class StageEvent extends Event {
    public static final String NAME = "dev.sluice.Stage";

    @Label("Stage")
    String stage;

    @Label("Time")
    @Timespan(Timespan.NANOSECONDS)
    long time;

    /** Records {@code stage} as lasting from {@code startNanos} (a {@code System.nanoTime()}) until now. */
    public static void record(String stage, long startNanos) {
        StageEvent event = new StageEvent();
        if (event.isEnabled()) {
            event.stage = stage;
            event.time = System.nanoTime() - startNanos;
            event.commit();
        }
    }
}
