package dev.sluice.examples.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.faasbridge.service.BridgeSettings;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The alert-handling case end to end: Alertmanager webhooks are posted to {@code POST /v1/topics/alerts/messages},
 * the topic fans them out to a subscribed queue (raw delivery), a mapping feeds the example function, which
 * mails (a real SMTP server, GreenMail), texts (an SMS-gateway HTTP server) and restarts (a restart HTTP
 * endpoint). A failing gateway fails only the records that needed a text; they retry, reach the dead-letter
 * queue after maxReceiveCount, and a move task redrives them once the gateway is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlertHandlingIT {
    private static final String ARN_PREFIX = "arn:aws:sqs:us-east-1:000000000000:";
    @TempDir
    Path data;
    GreenMail smtp;
    Vertx vertx;
    HttpServer endpoints;
    volatile boolean gatewayUp = true;
    final List<JsonObject> texts = new CopyOnWriteArrayList<>();
    final List<String> restarts = new CopyOnWriteArrayList<>();
    AlertFunction function;
    SluiceServer sluice;
    SqsClient sqs;
    final HttpClient rest = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        vertx = Vertx.vertx();
        endpoints = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (request.path().equals("/sms")) {
                if (!gatewayUp) {
                    request.response().setStatusCode(503).end("gateway down");
                    return;
                }
                texts.add(body.toJsonObject());
                request.response().setStatusCode(202).end();
            } else if (request.path().startsWith("/services/") && request.path().endsWith("/restart")) {
                restarts.add(request.path().split("/")[2]);
                request.response().setStatusCode(204).end();
            } else {
                request.response().setStatusCode(404).end();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + endpoints.actualPort();
        function = AlertFunction.start(new AlertFunction.Options(0, "127.0.0.1", smtp.getSmtp().getPort(), "sluice@example.com",
                "oncall@example.com", base + "/sms", "+15550100", base + "/services"));

        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", FreePorts.next()).withDataDirectory(data)
                .withAllowTemporaryStorage(true);
        sluice = SluiceServer.start(defaults.withHttp(defaults.http().withPort(0)).withRaft(raft), List.of(), InstantSource.system(),
                BridgeSettings.defaults("http://127.0.0.1:9324").withPollWaitSeconds(1).withRefreshInterval(Duration.ofMillis(200)));
        await(() -> sluice.node().health().ready(), "the node to become ready");
        sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sluice.httpPort())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void stop() throws Exception {
        sqs.close();
        sluice.close();
        function.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        smtp.stop();
    }

    @Test
    void alertsAreMailedTextedAndRestartedAndFailedTextsAreRedrivenFromTheDeadLetterQueue() throws Exception {
        String dlq = sqs.createQueue(b -> b.queueName("alerts-dlq")).queueUrl();
        String queue = sqs.createQueue(b -> b.queueName("alerts-inbox").attributesWithStrings(Map.of("VisibilityTimeout", "2",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + ARN_PREFIX + "alerts-dlq\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sluice.httpPort()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String topic = sns.createTopic(b -> b.name("alerts")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(ARN_PREFIX + "alerts-inbox")
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
        assertEquals(201, post("/v1/functions", "{\"FunctionName\":\"alert-handler\",\"InvokeUrl\":\"" + function.invokeUrl()
                + "\",\"Timeout\":2}").statusCode());
        HttpResponse<String> mapping = post("/v1/event-source-mappings", "{\"FunctionName\":\"alert-handler\",\"EventSourceArn\":\""
                + ARN_PREFIX + "alerts-inbox\",\"BatchSize\":10,\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]}");
        assertEquals(202, mapping.statusCode(), mapping.body());

        // 1. Gateway up: a critical alert with a restart action, and a warning (mail only).
        publishAlert(webhook("firing", alert("DiskFull", "critical", "db-1", "db", "restart", "f-disk")));
        publishAlert(webhook("firing", alert("HighLatency", "warning", "api-1", "api", null, "f-latency")));
        await(() -> smtp.getReceivedMessages().length == 2 && texts.size() == 1 && restarts.size() == 1, "mails, text and restart");
        assertEquals(List.of("db"), restarts);
        assertTrue(texts.get(0).getString("text").contains("[FIRING] DiskFull db-1"), texts.toString());
        assertEquals("+15550100", texts.get(0).getString("to"));
        assertEquals(List.of("[FIRING] DiskFull db-1: disk full", "[FIRING] HighLatency api-1: p99 over 2s"),
                Arrays.stream(smtp.getReceivedMessages()).map(AlertHandlingIT::subject).sorted().toList());
        awaitEmpty(queue);

        // 2. Gateway down: only the record that needs a text fails; it retries, then lands in the dead-letter queue.
        gatewayUp = false;
        publishAlert(webhook("firing", alert("NodeDown", "critical", "web-3", "web", null, "f-node")));
        publishAlert(webhook("resolved", alert("HighLatency", "warning", "api-1", "api", null, "f-latency")));
        await(() -> smtp.getReceivedMessages().length == 4, "both new alerts mailed");
        await(() -> approximate(dlq, "ApproximateNumberOfMessages") == 1 && approximate(queue, "ApproximateNumberOfMessages") == 0
                && approximate(queue, "ApproximateNumberOfMessagesNotVisible") == 0, "the failed alert in the dead-letter queue");
        assertEquals(1, texts.size(), "no text got through while the gateway was down");
        assertEquals(4, smtp.getReceivedMessages().length, "the retry did not mail again");

        // 3. Gateway back: a move task redrives the dead-letter queue and the text goes out, once.
        gatewayUp = true;
        sqs.startMessageMoveTask(b -> b.sourceArn(ARN_PREFIX + "alerts-dlq"));
        await(() -> texts.size() == 2, "the redriven alert texted");
        assertTrue(texts.get(1).getString("text").contains("[FIRING] NodeDown web-3"), texts.toString());
        awaitEmpty(queue);
        awaitEmpty(dlq);
        assertEquals(4, smtp.getReceivedMessages().length, "every alert mailed exactly once");
        assertEquals(List.of("db"), restarts, "only the alert labelled action=restart restarted its service");
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    static String alert(String name, String severity, String instance, String service, String action, String fingerprint) {
        String summary = name.equals("DiskFull") ? "disk full" : name.equals("HighLatency") ? "p99 over 2s" : "node unreachable";
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"severity\":\"" + severity + "\",\"instance\":\"" + instance
                + "\",\"service\":\"" + service + "\"" + (action == null ? "" : ",\"action\":\"" + action + "\"")
                + "},\"annotations\":{\"summary\":\"" + summary + "\"},\"startsAt\":\"2026-11-24T00:00:00Z\","
                + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus/graph\",\"fingerprint\":\"" + fingerprint + "\"";
    }

    /** Alertmanager's webhook payload (version 4) around one alert. */
    static String webhook(String status, String alert) {
        return "{\"version\":\"4\",\"groupKey\":\"{}:{alertname}\",\"truncatedAlerts\":0,\"status\":\"" + status
                + "\",\"receiver\":\"sluice\",\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager:9093\",\"alerts\":[" + alert + ",\"status\":\"" + status + "\"}]}";
    }

    /** What Alertmanager's webhook receiver does: POST the payload to the topic's REST publish route. */
    private void publishAlert(String body) throws Exception {
        HttpResponse<String> published = post("/v1/topics/alerts/messages", body);
        assertTrue(published.statusCode() / 100 == 2, published.statusCode() + " " + published.body());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return rest.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int approximate(String queue, String attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings(attribute))
                .attributesAsStrings().get(attribute));
    }

    private void awaitEmpty(String queue) throws InterruptedException {
        await(() -> approximate(queue, "ApproximateNumberOfMessages") == 0
                && approximate(queue, "ApproximateNumberOfMessagesNotVisible") == 0, "queue " + queue + " to be empty");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
