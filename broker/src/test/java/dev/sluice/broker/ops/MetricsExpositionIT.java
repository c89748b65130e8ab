package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code /metrics} after SQS, SNS, REST and bridge traffic (so that lazily created meters exist) parses as the
 * Prometheus text format with help text on every family, and {@code promtool check metrics} (Debian package
 * {@code prometheus}; CI installs it) finds nothing to lint. Without promtool on this machine only its part is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsExpositionIT {
    private SqsTestServer server;
    private String scrape;

    @BeforeAll
    void startAndMakeTraffic(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        RawHttp http = new RawHttp(server.server.httpPort());
        String url = server.sqs.createQueue(request -> request.queueName("metrics-q")).queueUrl();
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("sqs"));
        server.sqs.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(0));
        http.send("POST", "/v1/queues/metrics-q/messages", List.of(), "rest");
        http.send("GET", "/v1/queues/metrics-q/messages?max=10", List.of(), "");
        try (SnsClient sns = SnsClients.client(server.server.httpPort())) {
            String topic = sns.createTopic(request -> request.name("metrics-topic")).topicArn();
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:metrics-q"));
            sns.publish(request -> request.topicArn(topic).message("sns"));
        }
        http.send("POST", "/v1/functions", List.of(), "{\"FunctionName\":\"metrics-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/x\"}");
        http.send("POST", "/v1/event-source-mappings", List.of(),
                "{\"FunctionName\":\"metrics-fn\",\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:metrics-q\"}");
        // The bridge's meters appear once its poller runs and tries the (unreachable) function.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            Thread.sleep(200);
            scrape = http.send("GET", "/metrics", List.of(), "").text();
        } while (!scrape.contains("sluice_bridge_invocations_total") && System.nanoTime() < deadline);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void everyMetricFamilyHasHelpText() {
        List<String> families = PrometheusExposition.assertHelpOnEveryFamily(scrape);
        assertTrue(families.contains("sluice_bridge_invocations_total"), "the traffic created the bridge's meters: " + families);
        assertTrue(families.stream().anyMatch(name -> name.startsWith("sluice_raft_")), families.toString());
        assertTrue(families.contains("process_cpu_seconds_total"), "process CPU time in seconds: " + families);
        assertTrue(families.contains("sluice_queue_visible_messages") && families.contains("sluice_queue_sent_message_size_bytes"),
                "the per-queue meters are linted too: " + families);
        assertTrue(families.contains("sluice_api_request_seconds"), "the per-action request meters: " + families);
    }

    @Test
    void promtoolFindsNothingToLint() throws Exception {
        Optional<String> report = PrometheusExposition.promtoolReport(scrape);
        assumeTrue(report.isPresent(), "promtool is not installed (apt-get install prometheus): its lint is skipped");
        assertEquals("", report.get(), "promtool check metrics");
    }
}
