package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * On a 3-node cluster with 3 data groups (one leader per node once leadership is spread), a queue's meters come from
 * the node leading its group only, whichever nodes the traffic went through: the sums over the nodes are the exact
 * counts, and the followers export no series of the queue. Empty receives are counted where the call was answered.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterQueueMetricsIT {
    private static final int NODES = 3;

    @Test
    void onlyTheLeaderOfAQueuesGroupExportsItsMetersAndTheSumsOverNodesAreExact() throws Exception {
        try (SluiceProcesses cluster = new SluiceProcesses(NODES, List.of("--data-groups", "3"))) {
            // A generous bound: three JVMs start on a shared 2-core machine.
            cluster.startAll(java.time.Duration.ofSeconds(150));
            awaitOneGroupLedPerNode(cluster);
            List<SqsClient> clients = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                clients.add(SqsTestServer.client(cluster.httpPorts[node]));
            }
            try {
                List<String> queues = List.of("spread-a", "spread-b", "spread-c");
                Map<String, String> urls = new TreeMap<>();
                for (int i = 0; i < queues.size(); i++) {
                    String name = queues.get(i);
                    urls.put(name, clients.get(i).createQueue(request -> request.queueName(name)).queueUrl());
                }
                for (String name : queues) {
                    String url = urls.get(name);
                    // Three sends through three different nodes; two receives and one delete through others.
                    for (int node = 0; node < NODES; node++) {
                        int through = node;
                        clients.get(through).sendMessage(request -> request.queueUrl(url).messageBody("via n" + through));
                    }
                    List<Message> received = clients.get(1).receiveMessage(request -> request.queueUrl(url)
                            .maxNumberOfMessages(2).visibilityTimeout(300).waitTimeSeconds(0)).messages();
                    assertEquals(2, received.size());
                    clients.get(2).deleteMessage(request -> request.queueUrl(url).receiptHandle(received.get(0).receiptHandle()));
                }
                String quiet = clients.get(0).createQueue(request -> request.queueName("spread-quiet")).queueUrl();
                clients.get(2).receiveMessage(request -> request.queueUrl(quiet).waitTimeSeconds(0));

                List<MetricsScrape> scrapes = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    scrapes.add(MetricsScrape.of(cluster.httpPorts[node]));
                }
                for (String name : queues) {
                    int exporting = 0;
                    for (MetricsScrape scrape : scrapes) {
                        exporting += scrape.matching("sluice_queue_visible_messages", "queue", name).size();
                    }
                    assertEquals(1, exporting, name + " is exported by one node, its group's leader\n" + cluster.logTails());
                    assertEquals(3, sum(scrapes, "sluice_queue_sent_messages_total", name), name);
                    assertEquals(2, sum(scrapes, "sluice_queue_received_messages_total", name), name);
                    assertEquals(1, sum(scrapes, "sluice_queue_deleted_messages_total", name), name);
                    assertEquals(1, sum(scrapes, "sluice_queue_visible_messages", name), name);
                    assertEquals(1, sum(scrapes, "sluice_queue_in_flight_messages", name), name);
                    assertEquals(3, sum(scrapes, "sluice_queue_sent_message_size_bytes_count", name), name);
                }
                assertEquals(1, sum(scrapes, "sluice_queue_empty_receives_total", "spread-quiet"));
                assertEquals(1, scrapes.get(2).value("sluice_queue_empty_receives_total", "queue", "spread-quiet").orElse(0.0),
                        "counted by node 3, which answered the call");
            } finally {
                clients.forEach(SqsClient::close);
            }
        }
    }

    private static double sum(List<MetricsScrape> scrapes, String name, String queue) {
        double total = 0;
        for (MetricsScrape scrape : scrapes) {
            total += scrape.matching(name, "queue", queue).stream().mapToDouble(MetricsScrape.Sample::value).sum();
        }
        return total;
    }

    /** Leadership spreading moves leaders for the first seconds; counts move with it, so the traffic waits for the end. */
    private static void awaitOneGroupLedPerNode(SluiceProcesses cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean spread = true;
            for (int group = 0; group < NODES; group++) {
                spread &= cluster.leaderOf("data-" + group, 0) == group;
            }
            if (spread) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("leadership was not spread one group per node" + cluster.logTails());
    }
}
