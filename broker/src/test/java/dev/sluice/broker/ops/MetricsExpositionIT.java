package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern HELP = Pattern.compile("# HELP (\\S+)(?: (.*))?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");

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
        Map<String, String> help = new LinkedHashMap<>();
        List<String> typed = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            Matcher helpLine = HELP.matcher(line);
            Matcher typeLine = TYPE.matcher(line);
            if (helpLine.matches()) {
                help.put(helpLine.group(1), helpLine.group(2) == null ? "" : helpLine.group(2).strip());
            } else if (typeLine.matches()) {
                typed.add(typeLine.group(1));
            } else {
                assertTrue(line.isEmpty() || line.startsWith("# EOF") || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+( \\S+)?"),
                        "not a sample line: " + line);
            }
        }
        assertTrue(typed.contains("sluice_bridge_invocations_total") || typed.contains("sluice_bridge_invocations"),
                "the traffic created the bridge's meters: " + typed);
        assertTrue(typed.stream().anyMatch(name -> name.startsWith("sluice_raft_")), typed.toString());
        for (String family : typed) {
            assertTrue(help.containsKey(family), "no # HELP for " + family);
            assertTrue(!help.get(family).isEmpty(), "empty # HELP for " + family);
        }
    }

    @Test
    void promtoolFindsNothingToLint() throws Exception {
        File promtool = promtool();
        assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus): its lint is skipped");
        Process process = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
        process.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool ran");
        assertEquals("", report.strip(), "promtool check metrics");
        assertEquals(0, process.exitValue(), report);
    }

    private static File promtool() {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File candidate = new File(directory, "promtool");
            if (candidate.canExecute()) {
                return candidate;
            }
        }
        File installed = new File("/usr/bin/promtool");
        return Files.isExecutable(installed.toPath()) ? installed : null;
    }
}
