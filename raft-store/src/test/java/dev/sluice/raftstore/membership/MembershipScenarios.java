package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.ClusterView;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.CatalogCounts;
import dev.sluice.raftstore.testing.MiniCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/** Waits and a background writer shared by the membership scenarios. */
final class MembershipScenarios {
    static final String NAMESPACE = "writes";

    private MembershipScenarios() {
    }

    /** Waits until the cluster's stored layout exists (the controller stores it once the catalog has a leader). */
    static ClusterLayout awaitLayout(MiniCluster cluster, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < cluster.size(); i++) {
                RaftStoreNode node = cluster.node(i);
                if (node != null) {
                    try {
                        var layout = node.membership().layout().get(10, TimeUnit.SECONDS);
                        if (layout.isPresent()) {
                            return layout.get();
                        }
                    } catch (Exception notYet) {
                        // no quorum yet
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no cluster layout within " + timeout);
    }

    /** Waits until no group is moving and {@code condition} holds for the view from {@code viewer}. */
    static ClusterView awaitSettled(MiniCluster cluster, int viewer, Predicate<ClusterView> condition, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterView last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = cluster.node(viewer).clusterView().get(10, TimeUnit.SECONDS);
                if (last.groups().stream().noneMatch(ClusterView.GroupView::moving) && condition.test(last)) {
                    return last;
                }
            } catch (Exception notYet) {
                // a view needs the group leaders to answer
            }
            Thread.sleep(250);
        }
        throw new AssertionError("cluster did not settle within " + timeout + "; last view " + last);
    }

    static Map<String, Integer> leaderCounts(ClusterView view) {
        Map<String, Integer> counts = new HashMap<>();
        view.nodes().forEach(node -> counts.put(node.id(), 0));
        view.groups().stream().filter(group -> group.name().startsWith("data-") && group.leader() != null)
                .forEach(group -> counts.merge(group.leader(), 1, Integer::sum));
        return counts;
    }

    static long groupsHeldBy(ClusterView view, String nodeId) {
        return view.groups().stream().filter(group -> group.name().startsWith("data-"))
                .filter(group -> group.members().contains(nodeId)).count();
    }

    /** Writes keys round-robin into every data group through one node's clients; remembers each acknowledged key. */
    static final class Writer implements AutoCloseable {
        private final Map<Integer, Set<String>> acknowledged = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        Writer(RaftStoreNode node) {
            for (int group = 0; group < node.dataGroupCount(); group++) {
                acknowledged.put(group, ConcurrentHashMap.newKeySet());
            }
            thread = new Thread(() -> {
                long sequence = 0;
                while (running.get()) {
                    int group = (int) (sequence % node.dataGroupCount());
                    String key = "k-" + sequence++;
                    try {
                        new Catalog(node.dataGroup(group)).put(NAMESPACE, key, new byte[16]).get(20, TimeUnit.SECONDS);
                        acknowledged.get(group).add(key);
                    } catch (Exception unacknowledged) {
                        // not acknowledged: may or may not be there
                        failures.incrementAndGet();
                    }
                }
            }, "membership-writer");
            thread.setDaemon(true);
            thread.start();
        }

        /** Writes that failed or timed out so far. */
        int failures() {
            return failures.get();
        }

        int acknowledgedCount() {
            return acknowledged.values().stream().mapToInt(Set::size).sum();
        }

        /** Stops, then checks every acknowledged write is readable (linearizably) through {@code reader}. */
        void assertNothingLost(RaftStoreNode reader) throws Exception {
            close();
            for (var entry : acknowledged.entrySet()) {
                Set<String> held = CatalogCounts.keys(new Catalog(reader.dataGroup(entry.getKey())), NAMESPACE, null);
                Set<String> missing = new java.util.TreeSet<>(entry.getValue());
                missing.removeAll(held);
                if (!missing.isEmpty()) {
                    throw new AssertionError("data-" + entry.getKey() + " lost acknowledged writes " + missing);
                }
            }
        }

        Set<String> acknowledged(int group) {
            return Set.copyOf(acknowledged.get(group));
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    static List<String> dataGroupNames(ClusterView view) {
        return view.groups().stream().map(ClusterView.GroupView::name).filter(name -> name.startsWith("data-")).toList();
    }
}
