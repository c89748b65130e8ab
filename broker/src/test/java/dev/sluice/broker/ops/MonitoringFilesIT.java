package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
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
        exported = new TreeSet<>();
        for (String line : MetricsScrape.of(server.port()).text().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
    }

    @AfterAll
    void stop() {
        server.close();
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
