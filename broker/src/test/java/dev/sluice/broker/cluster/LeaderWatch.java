package dev.sluice.broker.cluster;

import dev.sluice.broker.HttpProbe;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches which groups have a leader, from the outside: every {@link #PERIOD_MILLIS} it asks every node not
 * {@link #ignore ignored} for {@code /health}. A group has a leader in a round when some answering node names itself
 * as the group's leader. Records, per group, the stretches without a leader, and the stretches in which no answering
 * node was ready ({@code /health} 200).
 *
 * <p>Threads: its own daemon thread polls; the read methods may be called from any thread.
 */
final class LeaderWatch implements AutoCloseable {
    static final long PERIOD_MILLIS = 100;
    private static final String NONE_READY = "(no node ready)";

    private final HttpProbe[] probes;
    private final Set<Integer> ignored = ConcurrentHashMap.newKeySet();
    /** Group name to the stretches [start, end] (nanoTime) it had no leader; an open stretch has end -1. */
    private final Map<String, List<long[]>> gaps = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    LeaderWatch(int[] httpPorts) {
        probes = new HttpProbe[httpPorts.length];
        for (int i = 0; i < httpPorts.length; i++) {
            probes[i] = new HttpProbe(httpPorts[i]);
        }
        thread = new Thread(this::pollUntilClosed, "leader-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Leaves node {@code node} out (it is frozen: asking it would stall every round). */
    void ignore(int node) {
        ignored.add(node);
    }

    void watchAgain(int node) {
        ignored.remove(node);
    }

    private void pollUntilClosed() {
        while (running) {
            Map<String, Boolean> led = new HashMap<>();
            boolean anyReady = false;
            for (int node = 0; node < probes.length; node++) {
                if (ignored.contains(node)) {
                    continue;
                }
                try {
                    var response = probes[node].get("/health");
                    anyReady |= response.statusCode() == 200;
                    JsonObject groups = new JsonObject(response.body()).getJsonObject("groups");
                    for (String group : groups.fieldNames()) {
                        boolean selfLed = ("n" + (node + 1)).equals(groups.getJsonObject(group).getString("leader"));
                        led.merge(group, selfLed, Boolean::logicalOr);
                    }
                } catch (Exception notAnswering) {
                    // killed, starting or stopping: it leads nothing it can serve
                }
            }
            if (!led.isEmpty() || !gaps.isEmpty()) {
                led.put(NONE_READY, anyReady);
            }
            long now = System.nanoTime();
            led.forEach((group, hasLeader) -> record(group, hasLeader, now));
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(String group, boolean hasLeader, long now) {
        List<long[]> stretches = gaps.computeIfAbsent(group, name -> new ArrayList<>());
        synchronized (stretches) {
            long[] last = stretches.isEmpty() ? null : stretches.get(stretches.size() - 1);
            boolean open = last != null && last[1] == -1;
            if (!hasLeader && !open) {
                stretches.add(new long[] {now, -1});
            } else if (hasLeader && open) {
                last[1] = now;
            }
        }
    }

    /** Per group (and {@value #NONE_READY}): the longest stretch without a leader within [from, to] (clipped), in ms. */
    Map<String, Long> longestGapsMillis(long fromNanos, long toNanos) {
        Map<String, Long> longest = new java.util.TreeMap<>();
        gaps.forEach((group, stretches) -> {
            long max = 0;
            synchronized (stretches) {
                for (long[] stretch : stretches) {
                    long end = stretch[1] == -1 ? toNanos : stretch[1];
                    long start = Math.max(stretch[0], fromNanos);
                    end = Math.min(end, toNanos);
                    if (end > start) {
                        max = Math.max(max, end - start);
                    }
                }
            }
            longest.put(group, TimeUnit.NANOSECONDS.toMillis(max));
        });
        return longest;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
