package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import software.amazon.awssdk.services.sns.SnsClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard ({@code ops/grafana/sluice.json}) and the Prometheus alert rules
 * ({@code ops/prometheus/alerts.yml}) in the repository: the dashboard is valid JSON with panels, {@code promtool check
 * rules} accepts the rules (when promtool is installed), and every {@code sluice_*} metric either references is in a
 * live server's {@code /metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitoringFilesIT {
    private static final Path OPS = Path.of("..", "ops");
    private static final Pattern METRIC = Pattern.compile("\\b(sluice_[a-z0-9_]+)");
    private SqsTestServer server;
    private Set<String> exported;
    private dev.sluice.broker.AcceptingFunction function;

    @BeforeAll
    void startAndMakeTraffic(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        String url = server.sqs.createQueue(request -> request.queueName("watched")).queueUrl();
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("m").delaySeconds(1));
        // A failed call makes the failed-requests counter exist.
        try {
            server.sqs.getQueueUrl(request -> request.queueName("not-there"));
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException expected) {
            // counted
        }
        topicTraffic();
        String scraped = functionTraffic();
        exported = new TreeSet<>();
        for (String line : scraped.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
    }

    @AfterAll
    void stop() {
        if (function != null) {
            function.close();
        }
        server.close();
    }

    /** A publish delivered to a queue, and copies dead-lettered from a subscription whose queue does not exist. */
    private void topicTraffic() throws Exception {
        try (SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(request -> request.name("watched-topic")).topicArn();
            server.sqs.createQueue(request -> request.queueName("watched-subscriber"));
            server.sqs.createQueue(request -> request.queueName("watched-subscriber-dlq"));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:watched-subscriber"));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:watched-missing").attributes(java.util.Map.of("RedrivePolicy",
                            "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:watched-subscriber-dlq\"}")));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:watched-typo"));
            server.sqs.createQueue(request -> request.queueName("watched-filtered"));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:watched-filtered")
                    .attributes(java.util.Map.of("FilterPolicy", "{\"kind\":[\"never\"]}", "RawMessageDelivery", "true")));
            sns.publish(request -> request.topicArn(topic).message("m"));
        }
    }

    /** A function invoked by a mapping (a local HTTP endpoint that accepts every batch); answers the scrape that shows it all. */
    private String functionTraffic() throws Exception {
        function = dev.sluice.broker.AcceptingFunction.start();
        dev.sluice.broker.HttpProbe rest = new dev.sluice.broker.HttpProbe(server.port());
        assertEquals(201, rest.post("/v1/functions", "{\"FunctionName\":\"watched-fn\",\"InvokeUrl\":\"" + function.url()
                + "\",\"Timeout\":3}").statusCode());
        String url = server.sqs.createQueue(request -> request.queueName("watched-source")).queueUrl();
        assertEquals(202, rest.post("/v1/event-source-mappings", "{\"FunctionName\":\"watched-fn\",\"EventSourceArn\":"
                + "\"arn:aws:sqs:us-east-1:000000000000:watched-source\"}").statusCode());
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("invoke me"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        MetricsScrape scrape = MetricsScrape.of(server.port());
        while ((scrape.value("sluice_bridge_invocations_total", "function", "watched-fn").isEmpty()
                || scrape.matching("sluice_sns_dead_lettered_notifications_total").isEmpty()
                || scrape.matching("sluice_sns_delivery_latency_seconds_count").isEmpty()
                || scrape.matching("sluice_sns_failed_notifications_total").isEmpty()
                || scrape.matching("sluice_sns_filtered_out_notifications_total").isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            scrape = MetricsScrape.of(server.port());
        }
        return scrape.text();
    }

    @Test
    void theDashboardIsJsonWhosePanelsQueryOnlyMetricsTheServerExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(OPS.resolve("grafana/sluice.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText())));
        assertTrue(expressions.size() >= 10, "panels with queries: " + expressions);
        assertAllExported(expressions);
    }

    @Test
    void theAlertRulesPassPromtoolAndReferenceOnlyMetricsTheServerExports() throws Exception {
        Path rules = OPS.resolve("prometheus/alerts.yml");
        String text = Files.readString(rules, StandardCharsets.UTF_8);
        List<String> expressions = text.lines().filter(line -> line.strip().startsWith("expr:")).toList();
        Set<String> alerts = text.lines().filter(line -> line.strip().startsWith("- alert:"))
                .map(line -> line.strip().substring("- alert:".length()).strip()).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(alerts.containsAll(Set.of("SluiceNodeDown", "SluiceGroupWithoutLeader", "SluiceQueueBacklogOld",
                "SluiceDeadLetterQueueNotEmpty", "SluiceSubscriptionsFailing")), alerts.toString());
        assertAllExported(expressions);
        File promtool = new File("/usr/bin/promtool");
        assumeTrue(promtool.canExecute(), "promtool is not installed (apt-get install prometheus): its check is skipped");
        Process check = new ProcessBuilder(promtool.getPath(), "check", "rules", rules.toString()).redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), report);
    }

    private void assertAllExported(List<String> expressions) {
        Set<String> missing = new TreeSet<>();
        int referenced = 0;
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                referenced++;
                if (!exported.contains(metric.group(1))) {
                    missing.add(metric.group(1));
                }
            }
        }
        assertTrue(referenced > 0, "the expressions name sluice metrics");
        assertFalse(!missing.isEmpty(), "not in /metrics: " + missing + "\nexported: " + exported);
    }
}
