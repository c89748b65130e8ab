package dev.sluice.broker;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * When each step of a server's start ended, in ms after the JVM started, for the one line a start logs: a slow restart
 * shows which step took its time (the Raft groups' start, the wiring of the modules, the HTTP front).
 */
final class StartSteps {
    private final List<String> steps = new ArrayList<>();

    /** Records that {@code step} has just ended. */
    synchronized void ended(String step) {
        steps.add(step + " " + ManagementFactory.getRuntimeMXBean().getUptime());
    }

    @Override
    public synchronized String toString() {
        return String.join(", ", steps);
    }
}
