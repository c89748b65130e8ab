package dev.sluice.broker.service;

import dev.sluice.broker.core.FanOutItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fan-out's items (in their order) cut into commands that each stay within the store's proposal limit: a command
 * carries every copy of its items (up to 10 outbox messages, times their subscriptions, times up to 256 KB each), and
 * the store refuses an entry much past that limit, which would leave the batch in the outbox for ever. From the first
 * item whose copies alone do not fit, that item and every later one are left out (the fanout's receive loop sends them,
 * one send per subscription); so is every item past the first command of a FIFO outbox, whose groups one apply keeps
 * whole and in order ({@code FanoutApplier}). Pure.
 */
final class FanOutBatches {
    private FanOutBatches() {
    }

    /** One outcome per item, each {@code LEFT} (unchanged, for the receive loop) until {@link #place}d. */
    static List<FanOutItem.Outcome> allLeft(int items) {
        return new ArrayList<>(Collections.nCopies(items, new FanOutItem.Outcome(FanOutItem.Status.LEFT, List.of())));
    }

    /** Puts a command's {@code results} (one per item it carried) at those items' {@code indexes} in {@code outcomes}. */
    static void place(List<FanOutItem.Outcome> outcomes, List<Integer> indexes, List<FanOutItem.Outcome> results) {
        synchronized (outcomes) {
            for (int i = 0; i < indexes.size(); i++) {
                outcomes.set(indexes.get(i), results.get(i));
            }
        }
    }

    /**
     * The items' indexes per command, in order; an index in none of them is left out.
     *
     * @param itemBytes what each item adds to a command
     * @param commandBytes what a command takes without items
     * @param limit the most bytes a command may take
     * @param oneCommand whether only the first command may be proposed (a FIFO outbox)
     */
    static List<List<Integer>> split(List<Integer> itemBytes, int commandBytes, int limit, boolean oneCommand) {
        List<List<Integer>> commands = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = commandBytes;
        for (int i = 0; i < itemBytes.size(); i++) {
            int size = itemBytes.get(i);
            if ((long) commandBytes + size > limit) {
                break;
            }
            if (bytes + size > limit) {
                commands.add(current);
                if (oneCommand) {
                    return commands;
                }
                current = new ArrayList<>();
                bytes = commandBytes;
            }
            current.add(i);
            bytes += size;
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }
}
