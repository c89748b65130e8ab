package dev.sluice.broker.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one queue's messages live: its {@code partitions} (data groups that take sends, receives and every queue
 * action), the groups it is {@code draining} (a migration's source: receives, deletes and visibility changes only,
 * until empty), and its {@code home}, the group whose receipt handles carry no group prefix (handles issued while
 * the queue had one group, before it was partitioned or migrated). After a migration the home may be a group the queue
 * left: its unprefixed handles have then expired, and the queue's receives take the partitioned path, whose handles
 * name their group.
 */
public record Placement(int home, List<Integer> partitions, List<Integer> draining) {
    public Placement {
        partitions = List.copyOf(partitions);
        draining = List.copyOf(draining);
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("a queue needs at least one partition");
        }
    }

    public static Placement single(int group) {
        return new Placement(group, List.of(group), List.of());
    }

    /** One group and nothing else: every action goes there as it did before partitions existed. */
    public boolean isSingle() {
        return partitions.size() == 1 && draining.isEmpty() && home == partitions.get(0);
    }

    /** Every group holding the queue: partitions, then draining groups. */
    public List<Integer> groups() {
        List<Integer> all = new ArrayList<>(partitions);
        all.addAll(draining);
        return all;
    }

    /** The group whose queue answers for the whole (attributes, tags, create): the first partition. */
    public int primary() {
        return partitions.get(0);
    }
}
