package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.HttpProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Three server processes with six data groups: {@code GET /v1/cluster} lists every node's published URL, the
 * leaders spread two per node, and after a node is killed the others see it down, lead its groups and keep
 * answering.
 */
@Tag("fault")
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class ClusterViewProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sixGroupsOnThreeNodesGetTwoLeadersEachAndAKilledNodeShowsDownWhileTheOthersTakeOver() throws Exception {
        try (SluiceProcesses cluster = new SluiceProcesses(3, List.of("--data-groups", "6"))) {
            try {
                for (int node = 0; node < 3; node++) {
                    cluster.start(node);
                }
                for (int node = 0; node < 3; node++) {
                    // Seven groups per process start slowly on a loaded 2-core machine: more than startAll's minute.
                    new HttpProbe(cluster.httpPorts[node]).awaitStatus("/health", 200, Duration.ofSeconds(180));
                }
                // Each node publishes its URL in the background once the catalog serves (founding: once two of three
                // vote), which may come a moment after the leaders settle.
                await(Duration.ofSeconds(120), cluster, 0, view -> leadersPerNode(view).equals(Map.of("n1", 2, "n2", 2, "n3", 2))
                        && everyUrlKnown(view));
                JsonNode view = clusterView(cluster, 0);
                List<String> urls = new ArrayList<>();
                view.get("nodes").forEach(node -> urls.add(node.get("httpUrl").asText()));
                assertEquals(List.of(url(cluster, 0), url(cluster, 1), url(cluster, 2)), urls, view.toString());
                assertEquals(7, view.get("groups").size(), view.toString());

                cluster.kill(2);
                await(Duration.ofSeconds(90), cluster, 0, current -> state(current, "n3").equals("down")
                        && leadersPerNode(current).values().stream().mapToInt(Integer::intValue).sum() == 6
                        && !leadersPerNode(current).containsKey("n3"));
                try (SqsClient sqs = SqsTestServer.client(cluster.httpPorts[1])) {
                    String queue = sqs.createQueue(b -> b.queueName("after-kill")).queueUrl();
                    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("still here"));
                    assertEquals("still here", sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(5))
                            .messages().get(0).body());
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + cluster.logTails(), e);
            }
        }
    }

    private static boolean everyUrlKnown(JsonNode view) {
        List<Boolean> known = new ArrayList<>();
        view.get("nodes").forEach(node -> known.add(node.hasNonNull("httpUrl")));
        return !known.contains(false);
    }

    private static String url(SluiceProcesses cluster, int node) {
        return "http://127.0.0.1:" + cluster.httpPorts[node];
    }

    private static JsonNode clusterView(SluiceProcesses cluster, int node) throws Exception {
        var response = new HttpProbe(cluster.httpPorts[node]).awaitStatus("/v1/cluster", 200, Duration.ofSeconds(30));
        return JSON.readTree(response.body());
    }

    private static Map<String, Integer> leadersPerNode(JsonNode view) {
        Map<String, Integer> counts = new TreeMap<>();
        view.get("groups").forEach(group -> {
            if (group.get("name").asText().startsWith("data-") && group.hasNonNull("leader")) {
                counts.merge(group.get("leader").asText(), 1, Integer::sum);
            }
        });
        return counts;
    }

    private static String state(JsonNode view, String id) {
        for (JsonNode node : view.get("nodes")) {
            if (node.get("id").asText().equals(id)) {
                return node.get("state").asText();
            }
        }
        return "missing";
    }

    private static void await(Duration timeout, SluiceProcesses cluster, int node,
            java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = clusterView(cluster, node);
        while (!condition.test(view)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + view);
            }
            Thread.sleep(250);
            view = clusterView(cluster, node);
        }
    }
}
