package dev.sluice.broker.cluster;

/**
 * A queue a {@link Workload} sends to and receives from.
 *
 * @param messageGroups how many FIFO message groups producers spread over (0 for a standard queue)
 */
record TrackedQueue(String name, String url, int messageGroups) {

    TrackedQueue {
        if (name.endsWith(".fifo") != (messageGroups > 0)) {
            throw new IllegalArgumentException("a FIFO queue (named *.fifo) and only it has message groups: " + name);
        }
    }

    boolean fifo() {
        return messageGroups > 0;
    }
}
