package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * On a 3-node cluster the topic meters add up: messages published through every node and delivered by whichever
 * node's workers received them are each counted once, so the sums over the nodes are the exact counts (published,
 * delivered, delivery latencies); a subscription to a missing queue shows in the failing gauge (max over the nodes 1,
 * and no more once every retry of a delivery that failed under load is overdue: the inbox's subscription is not failing);
 * and every node serves the console.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterTopicMetricsIT {
    private static final int NODES = 3;
    private static final int PER_NODE = 4;

    @Test
    void topicMetersSummedOverTheNodesAreTheExactCountsAndEveryNodeServesTheConsole() throws Exception {
        try (SluiceProcesses cluster = new SluiceProcesses(NODES, List.of("--data-groups", "3"))) {
            // A generous bound: three JVMs start on a shared 2-core machine.
            cluster.startAll(java.time.Duration.ofSeconds(150));
            List<SnsClient> sns = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                sns.add(SnsClients.client(cluster.httpPorts[node]));
            }
            try (SqsClient sqs = SqsTestServer.client(cluster.httpPorts[0])) {
                String url = sqs.createQueue(request -> request.queueName("cluster-inbox")).queueUrl();
                String topic = sns.get(0).createTopic(request -> request.name("cluster-news")).topicArn();
                sns.get(1).subscribe(request -> request.topicArn(topic).protocol("sqs")
                        .endpoint("arn:aws:sqs:us-east-1:000000000000:cluster-inbox"));
                sns.get(2).subscribe(request -> request.topicArn(topic).protocol("sqs")
                        .endpoint("arn:aws:sqs:us-east-1:000000000000:cluster-missing"));
                for (int node = 0; node < NODES; node++) {
                    for (int i = 0; i < PER_NODE; i++) {
                        String body = "n" + node + "-" + i;
                        sns.get(node).publish(request -> request.topicArn(topic).message(body));
                    }
                }
                int total = NODES * PER_NODE;
                int received = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received < total && System.nanoTime() < deadline) {
                    var messages = sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                            .messages();
                    received += messages.size();
                    messages.forEach(message -> sqs.deleteMessage(request -> request.queueUrl(url)
                            .receiptHandle(message.receiptHandle())));
                }
                assertEquals(total, received, "every publish delivered once" + cluster.logTails());

                // The failing gauge settles at exactly 1 (the missing queue's subscription): a delivery to the inbox
                // that failed under load and was retried by another node stops counting on the failing node once
                // its retry is overdue (DeliveryHealth.RETRY_GRACE after the 10 s retry delay).
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
                        + dev.sluice.notify.service.DeliveryHealth.RETRY_GRACE.plusSeconds(30).toNanos();
                List<MetricsScrape> scrapes = scrapes(cluster);
                while ((sum(scrapes, "sluice_sns_delivered_notifications_total", "topic", "cluster-news", "protocol", "sqs") < total
                        || max(scrapes, "sluice_sns_subscriptions_failing", "topic", "cluster-news", "protocol", "sqs") != 1)
                        && System.nanoTime() < until) {
                    Thread.sleep(250);
                    scrapes = scrapes(cluster);
                }
                assertEquals(total, sum(scrapes, "sluice_sns_published_messages_total", "topic", "cluster-news"));
                for (int node = 0; node < NODES; node++) {
                    assertEquals(PER_NODE, scrapes.get(node).value("sluice_sns_published_messages_total", "topic", "cluster-news")
                            .orElse(0.0), "counted by the node that answered the Publish");
                }
                assertEquals(total, sum(scrapes, "sluice_sns_publish_size_bytes_count", "topic", "cluster-news"));
                assertEquals(total, sum(scrapes, "sluice_sns_delivered_notifications_total", "topic", "cluster-news",
                        "protocol", "sqs"), "each copy counted once, by the node that delivered it");
                assertEquals(total, sum(scrapes, "sluice_sns_delivery_latency_seconds_count", "protocol", "sqs"));
                assertEquals(1, max(scrapes, "sluice_sns_subscriptions_failing", "topic", "cluster-news", "protocol", "sqs"));
            } finally {
                sns.forEach(SnsClient::close);
            }
            for (int node = 0; node < NODES; node++) {
                HttpResponse<String> console = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.httpPorts[node] + "/console/topics.js")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, console.statusCode());
                assertTrue(console.body().contains("Sluice.page('topics'"), "node " + node + " serves the topic page");
            }
        }
    }

    private static List<MetricsScrape> scrapes(SluiceProcesses cluster) throws Exception {
        List<MetricsScrape> scrapes = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            scrapes.add(MetricsScrape.of(cluster.httpPorts[node]));
        }
        return scrapes;
    }

    private static double sum(List<MetricsScrape> scrapes, String name, String... labels) {
        return scrapes.stream().mapToDouble(scrape -> scrape.matching(name, labels).stream()
                .mapToDouble(MetricsScrape.Sample::value).sum()).sum();
    }

    private static double max(List<MetricsScrape> scrapes, String name, String... labels) {
        return scrapes.stream().mapToDouble(scrape -> scrape.matching(name, labels).stream()
                .mapToDouble(MetricsScrape.Sample::value).max().orElse(0)).max().orElse(0);
    }
}
