package dev.sluice.broker.api.rest;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Where the topic page's counts come from: what was published and delivered for a topic, as {@code {kind: {protocol
 * (empty for publishes): count}}} with the kinds of notify's {@code NotificationCounts}. Each publish and delivery is
 * counted by the one node that did it, so the cluster's counts are the sum over the nodes.
 */
public interface TopicCounts {

    /**
     * @param counts the sum over the nodes that answered
     * @param unansweredNodes the nodes whose counts are missing from the sum (down, or not answering in time)
     */
    record Answer(SortedMap<String, SortedMap<String, Long>> counts, List<String> unansweredNodes) {
    }

    CompletableFuture<Answer> of(String topic);

    /** The topic's entries of a {@code NotificationCounts} snapshot ({@code [kind, topic, protocol] -> count}). */
    static SortedMap<String, SortedMap<String, Long>> ofTopic(Map<List<String>, Long> snapshot, String topic) {
        SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
        snapshot.forEach((key, count) -> {
            if (key.get(1).equals(topic)) {
                counts.computeIfAbsent(key.get(0), kind -> new TreeMap<>()).put(key.get(2), count);
            }
        });
        return counts;
    }

    /** Adds {@code more} into {@code sum}. */
    static void add(SortedMap<String, SortedMap<String, Long>> sum, Map<String, ? extends Map<String, Long>> more) {
        more.forEach((kind, byProtocol) -> byProtocol.forEach((protocol, count) ->
                sum.computeIfAbsent(kind, ignored -> new TreeMap<>()).merge(protocol, count, Long::sum)));
    }
}
