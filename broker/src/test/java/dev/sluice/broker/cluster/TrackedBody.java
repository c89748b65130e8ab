package dev.sluice.broker.cluster;

/**
 * What a tracked message's body carries, so that a delivery names its message without the sender's help: a run-wide
 * unique id and, for FIFO queues, the message group and the message's place in that group's send order.
 * Encoded as {@code id}, or {@code id group counter} separated by spaces (ids and groups have no spaces).
 *
 * @param group the FIFO MessageGroupId, or null for a standard queue
 * @param counter the message's index in its group's send order (0, 1, 2, ...); -1 without a group
 */
record TrackedBody(String id, String group, long counter) {

    TrackedBody {
        if (id.isEmpty() || id.contains(" ") || (group != null && (group.isEmpty() || group.contains(" ")))) {
            throw new IllegalArgumentException("ids and groups are non-empty and without spaces: " + id + ", " + group);
        }
        if ((group == null) != (counter < 0)) {
            throw new IllegalArgumentException("a counter exactly when there is a group");
        }
    }

    static TrackedBody standard(String id) {
        return new TrackedBody(id, null, -1);
    }

    static TrackedBody fifo(String id, String group, long counter) {
        return new TrackedBody(id, group, counter);
    }

    String encode() {
        return group == null ? id : id + " " + group + " " + counter;
    }

    /** The body a tracked sender wrote; anything else is reported as an unexpected delivery. */
    static TrackedBody parse(String body) {
        String[] parts = body.split(" ");
        return switch (parts.length) {
            case 1 -> standard(parts[0]);
            case 3 -> fifo(parts[0], parts[1], Long.parseLong(parts[2]));
            default -> throw new IllegalArgumentException("not a tracked body: " + body);
        };
    }
}
