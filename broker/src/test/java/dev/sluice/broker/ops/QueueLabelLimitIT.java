package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/** With {@code metrics.maxLabelledQueues} 2, the first two queue names get series of their own; the rest are summed under {@code __overflow__}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueLabelLimitIT {

    @Test
    void queuesBeyondTheLimitAreSummedUnderTheOverflowLabel(@TempDir Path data) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withMetrics(new SluiceConfig.Metrics(2)))) {
            List<String> names = List.of("limit-a", "limit-b", "limit-c", "limit-d");
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                String url = server.sqs.createQueue(request -> request.queueName(name)).queueUrl();
                for (int sends = 0; sends <= i; sends++) {
                    server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("m"));
                }
            }
            MetricsScrape scrape = MetricsScrape.of(server.port());
            assertEquals(Optional.of(1.0), scrape.value("sluice_queue_sent_messages_total", "queue", "limit-a"), scrape.text());
            assertEquals(Optional.of(2.0), scrape.value("sluice_queue_sent_messages_total", "queue", "limit-b"));
            assertEquals(Optional.empty(), scrape.value("sluice_queue_sent_messages_total", "queue", "limit-c"));
            assertEquals(Optional.of(3.0 + 4.0), scrape.value("sluice_queue_sent_messages_total", "queue", "__overflow__"));
            assertEquals(Optional.of(7.0), scrape.value("sluice_queue_visible_messages", "queue", "__overflow__"));
            assertEquals(3, scrape.matching("sluice_queue_visible_messages").size(), "two queues and the overflow");
        }
    }

    @Test
    void topicsBeyondTheLimitAreSummedUnderTheOverflowLabel(@TempDir Path data) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withMetrics(new SluiceConfig.Metrics(2)));
                SnsClient sns = SnsClients.client(server.port())) {
            for (String name : List.of("limit-t1", "limit-t2", "limit-t3", "limit-t4")) {
                String topic = sns.createTopic(request -> request.name(name)).topicArn();
                sns.publish(request -> request.topicArn(topic).message("m"));
            }
            MetricsScrape scrape = MetricsScrape.of(server.port());
            String published = "sluice_sns_published_messages_total";
            assertEquals(Optional.of(1.0), scrape.value(published, "topic", "limit-t1"), scrape.text());
            assertEquals(Optional.of(1.0), scrape.value(published, "topic", "limit-t2"));
            assertEquals(Optional.of(2.0), scrape.value(published, "topic", "__overflow__"));
            assertEquals(3, scrape.matching(published).size(), "two topics and the overflow");

            // The unsigned per-topic counts (for the console of another node) tell no more than /metrics: a labelled
            // topic's counts, but nothing of a topic summed under the overflow label, nor whether one exists.
            assertEquals(200, countsOf(server, "limit-t1").statusCode());
            for (String hidden : List.of("limit-t3", "no-such-topic")) {
                HttpResponse<String> refused = countsOf(server, hidden);
                assertEquals(404, refused.statusCode(), hidden);
                assertEquals("", refused.body());
            }
            // Hostile input (a broken escape, an empty name, a hidden topic named first) is a 4xx, never a 5xx.
            RawHttp raw = new RawHttp(server.port());
            for (String hostile : List.of("%zz", "%", "", "%00", "%FF%FE", "limit-t3&topic=limit-t1")) {
                RawHttp.Answer answer = raw.send("GET", NotificationCountRoutes.PATH + "?topic=" + hostile, List.of(), "");
                assertTrue(answer.status() >= 400 && answer.status() < 500, hostile + " -> " + answer.status());
            }
        }
    }

    private static HttpResponse<String> countsOf(SqsTestServer server, String topic) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + NotificationCountRoutes.PATH + "?topic=" + topic)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
