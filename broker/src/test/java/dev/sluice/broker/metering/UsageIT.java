package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.auth.RawSigner;
import dev.sluice.broker.bridge.FunctionServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Metering through the real AWS SDK: a scripted SQS workload of two accounts gives exactly the requests AWS would bill
 * (64 KiB chunks of each request's payload) and bytes out in {@code GET /v1/usage}, which an account reads for itself
 * only; the counters are replicated state, so a restart (state read back from RocksDB) reads the same numbers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UsageIT {
    private static final String ACCOUNT_A = "000000000000";
    static final String ACCOUNT_B = "111111111111";
    private static final String KEY_A = "AKIDMETEREDA";
    private static final String SECRET_A = "secret-of-a-123";
    static final String KEY_B = "AKIDMETEREDB";
    static final String SECRET_B = "secret-of-b-456";
    static final String ACCOUNT_C = "222222222222";
    static final String KEY_C = "AKIDMETEREDC";
    static final String SECRET_C = "secret-of-c-321";
    static final String KEY_OPS = "AKIDMETEROPS";
    static final String SECRET_OPS = "secret-of-ops-789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int KIB = 1024;
    /** Bytes of the five messages A sends: 5 + 100 KiB + 3 x 30 KiB. */
    private static final long A_PAYLOAD = 5 + 100 * KIB + 3 * 30 * KIB;
    /**
     * A's bill: CreateQueue 1, small send 1, 100 KiB send 2, batch of 90 KiB 2, the receive of all five (190 KiB) 3,
     * DeleteMessage 1, DeleteMessageBatch 1, a DeleteMessage with a handle already used 1, an empty receive 1 (counted at
     * the edge and flushed into the log). GetQueueUrl appends nothing to the log and is not metered.
     */
    private static final long A_REQUESTS = 1 + 1 + 2 + 2 + 3 + 1 + 1 + 1 + 1;
    /**
     * B's bill: CreateQueue 1, one small send 1, CreateQueue of the queue its topic fans out to 1, the fanout's send of
     * the one copy into it 1 (as in SQS, the queue's owner pays for requests on its queue).
     */
    private static final long B_REQUESTS = 2 + 2;
    /**
     * B's SNS bill: a small publish 1, a 100 KiB publish 2, a PublishBatch of 3 x 30 KiB 2 (its total payload). The
     * topic's outbox is an internal queue: its sends and the fanout's receives and deletes bill nobody's SQS requests.
     */
    private static final long B_PUBLISHES = 1 + 2 + 2 + 1;
    /** How long C's function takes: its bill is at least this many milliseconds. */
    private static final long WORKER_MILLIS = 150;

    /** What the operator's Prometheus sends to read /metrics (auth.metricsToken). */
    private static final String METRICS_TOKEN = "usage-it-scrape-token-0123456789";

    @TempDir
    Path data;

    static SluiceConfig twoAccounts(SluiceConfig config) {
        return config.withAuth(new SluiceConfig.Auth(SluiceConfig.AccessKey.parseList(KEY_A + ":" + SECRET_A
                + ",account=" + ACCOUNT_B + "/" + KEY_B + ":" + SECRET_B + ",account=" + ACCOUNT_C + "/" + KEY_C + ":"
                + SECRET_C + ",admin=" + KEY_OPS + ":" + SECRET_OPS), java.util.Optional.empty(),
                java.util.Optional.of(METRICS_TOKEN)));
    }

    @Test
    void aScriptedWorkloadIsBilledExactlyPerAccountReadableByItsOwnerAndTheSameAfterARestart() throws Exception {
        long httpBytes;
        try (SqsTestServer server = SqsTestServer.start(data, UsageIT::withWebhooks);
                SqsClient a = client(server.port(), KEY_A, SECRET_A);
                SqsClient b = client(server.port(), KEY_B, SECRET_B)) {
            runWorkload(a, b);
            try (SnsClient sns = sns(server.port(), KEY_B, SECRET_B)) {
                publish(sns);
            }
            httpBytes = fanOutAndInvoke(server.port());
            awaitEdgeCounts(server.port());
            assertBilled(server.port(), httpBytes);
            assertPrometheusCounts(server.port(), httpBytes);
        }
        try (SqsTestServer server = SqsTestServer.start(data, UsageIT::withWebhooks)) {
            assertBilled(server.port(), httpBytes);
            assertRefused(server.port());
        }
    }

    /** The accounts, and webhooks allowed to loopback endpoints. */
    private static SluiceConfig withWebhooks(SluiceConfig config) {
        return twoAccounts(config).withNotifications(new SluiceConfig.Notify(List.of(
                dev.sluice.clientsdk.filter.CidrBlock.parse("127.0.0.1/32"))));
    }

    /**
     * B's topic fans one publish out to three protocols: B's own queue (sqs), a webhook (http, confirmed first; its
     * confirmation is not billed) and B's function (lambda); C's event source mapping invokes C's function once.
     * Answers the bytes of the notification POSTed to the webhook.
     */
    private static long fanOutAndInvoke(int port) throws Exception {
        try (WebhookEndpoint webhook = new WebhookEndpoint(delivery -> 200);
                FunctionServer pager = new FunctionServer();
                FunctionServer worker = new FunctionServer();
                SnsClient sns = sns(port, KEY_B, SECRET_B);
                SqsClient b = client(port, KEY_B, SECRET_B);
                SqsClient c = client(port, KEY_C, SECRET_C)) {
            worker.respond(event -> FunctionServer.Reply.okAfter(WORKER_MILLIS));
            assertEquals(201, post(port, KEY_B, SECRET_B, "/v1/functions", "{\"FunctionName\":\"pager\",\"InvokeUrl\":\""
                    + pager.url() + "\"}").statusCode());
            assertEquals(201, post(port, KEY_C, SECRET_C, "/v1/functions", "{\"FunctionName\":\"worker\",\"InvokeUrl\":\""
                    + worker.url() + "\",\"Timeout\":10}").statusCode());
            String topic = sns.createTopic(r -> r.name("fanout")).topicArn();
            String fanned = b.createQueue(r -> r.queueName("fanned")).queueUrl();
            sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn(b, fanned)));
            sns.subscribe(r -> r.topicArn(topic).protocol("lambda")
                    .endpoint("arn:aws:lambda:us-east-1:" + ACCOUNT_B + ":function:pager"));
            sns.subscribe(r -> r.topicArn(topic).protocol("http").endpoint(webhook.url("/hook")));
            WebhookEndpoint.Delivery confirmation = webhook.await(delivery -> "SubscriptionConfirmation".equals(
                    delivery.header("x-amz-sns-message-type")), 1, 30).get(0);
            String token = JSON.readTree(confirmation.body()).get("Token").asText();
            sns.confirmSubscription(r -> r.topicArn(topic).token(token));
            sns.publish(r -> r.topicArn(topic).message("page the on-call"));
            List<WebhookEndpoint.Delivery> notified = webhook.await(delivery -> "Notification".equals(
                    delivery.header("x-amz-sns-message-type")), 1, 30);
            assertEquals(1, notified.size(), "the webhook got the notification");
            await(() -> pager.events().size() == 1, "the lambda subscription's invocation");

            String work = c.createQueue(r -> r.queueName("work")).queueUrl();
            c.sendMessage(r -> r.queueUrl(work).messageBody("restart db-1"));
            HttpResponse<String> mapped = post(port, KEY_C, SECRET_C, "/v1/event-source-mappings", "{\"FunctionName\":"
                    + "\"worker\",\"EventSourceArn\":\"" + queueArn(c, work) + "\",\"BatchSize\":1}");
            assertEquals(202, mapped.statusCode(), mapped.body());
            await(() -> worker.events().size() == 1, "the mapping's invocation");
            // The bridge deletes the message once the function answered: only then may the function go away.
            await(() -> c.getQueueAttributes(r -> r.queueUrl(work).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings()
                    .values().stream().allMatch("0"::equals), "the mapping's delete after success");
            forgeDeliveryBill(c);
            return notified.get(0).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    /**
     * The attack: C puts the delivery bill attribute on a message in its own queue, naming B, and deletes it the way a
     * delivery worker ends a delivery (entry id "delivered"). A tenant's queue is no delivery queue: nobody is billed.
     */
    private static void forgeDeliveryBill(SqsClient c) {
        String forge = c.createQueue(r -> r.queueName("forge")).queueUrl();
        c.sendMessage(r -> r.queueUrl(forge).messageBody("forged").messageAttributes(Map.of(
                dev.sluice.clientsdk.ReservedQueueNames.DELIVERY_ATTRIBUTE,
                software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String")
                        .stringValue(dev.sluice.clientsdk.ReservedQueueNames.delivery(ACCOUNT_B, "https", 999_999)).build())));
        Message forged = c.receiveMessage(r -> r.queueUrl(forge).messageAttributeNames("All")).messages().get(0);
        assertEquals(0, c.deleteMessageBatch(r -> r.queueUrl(forge).entries(
                software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                        .id(dev.sluice.clientsdk.ReservedQueueNames.DELIVERED_ENTRY_ID)
                        .receiptHandle(forged.receiptHandle()).build())).failed().size());
    }

    /** Deliveries and invocations reach the log with the edge's next flush (every 2 s). */
    private static void awaitEdgeCounts(int port) throws Exception {
        await(() -> {
            JsonNode totals = JSON.readTree(ok(get(port, KEY_OPS, SECRET_OPS, "")).body()).get("Totals");
            return totals.has(ACCOUNT_C) && totals.get(ACCOUNT_C).get("FunctionInvocations").asLong() >= 1
                    && totals.get(ACCOUNT_B).get("FunctionInvocations").asLong() >= 1
                    && totals.get(ACCOUNT_B).get("SnsDeliveriesHttp").asLong() >= 1
                    && totals.get(ACCOUNT_B).get("SnsDeliveriesLambda").asLong() >= 1
                    && totals.get(ACCOUNT_B).get("SnsDeliveriesSqs").asLong() >= 1
                    // A count and its companion (duration, bytes) may reach the log in consecutive flushes.
                    && totals.get(ACCOUNT_C).get("FunctionDurationMs").asLong() >= WORKER_MILLIS
                    && totals.get(ACCOUNT_B).get("FunctionDurationMs").asLong() >= 1
                    && totals.get(ACCOUNT_B).get("SnsHttpBytesOut").asLong() >= 1;
        }, "the deliveries and invocations in /v1/usage");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 30 s");
            }
            Thread.sleep(200);
        }
    }

    static String queueArn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings()
                .get("QueueArn");
    }

    /** /metrics shows the same totals as counters with an account label (read again at most every few seconds). */
    private static void assertPrometheusCounts(int port, long httpBytes) throws Exception {
        List<String> expected = List.of("sluice_usage_sqs_requests_total{account=\"" + ACCOUNT_A + "\"} " + A_REQUESTS + ".0",
                "sluice_usage_sqs_requests_total{account=\"" + ACCOUNT_B + "\"} " + B_REQUESTS + ".0",
                "sluice_usage_sns_publishes_total{account=\"" + ACCOUNT_B + "\"} " + B_PUBLISHES + ".0",
                "sluice_usage_sqs_bytes_out_total{account=\"" + ACCOUNT_A + "\"} " + A_PAYLOAD + ".0",
                "sluice_usage_sns_deliveries_sqs_total{account=\"" + ACCOUNT_B + "\"} 1.0",
                "sluice_usage_sns_deliveries_http_total{account=\"" + ACCOUNT_B + "\"} 1.0",
                "sluice_usage_sns_deliveries_lambda_total{account=\"" + ACCOUNT_B + "\"} 1.0",
                "sluice_usage_sns_http_bytes_out_total{account=\"" + ACCOUNT_B + "\"} " + httpBytes + ".0",
                "sluice_usage_function_invocations_total{account=\"" + ACCOUNT_B + "\"} 1.0",
                "sluice_usage_function_invocations_total{account=\"" + ACCOUNT_C + "\"} 1.0");
        dev.sluice.broker.HttpProbe probe = new dev.sluice.broker.HttpProbe(port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String metrics = "";
        while (System.nanoTime() < deadline) {
            List<String> lines = (metrics = probe.getWithBearer("/metrics", METRICS_TOKEN).body()).lines().toList();
            if (lines.containsAll(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("usage counters " + expected + " not in /metrics: " + metrics.lines()
                .filter(line -> line.startsWith("sluice_usage_")).toList());
    }

    /** An account reads only its own usage; bad parameters are refused with 400, never a 5xx. */
    private static void assertRefused(int port) throws Exception {
        assertEquals(403, get(port, KEY_B, SECRET_B, "account=" + ACCOUNT_A).statusCode());
        ok(get(port, KEY_B, SECRET_B, "account=" + ACCOUNT_B));
        HttpResponse<String> badFrom = get(port, KEY_OPS, SECRET_OPS, "from=yesterday");
        assertEquals(400, badFrom.statusCode());
        assertTrue(badFrom.body().contains("InvalidParameterValue"), badFrom.body());
        assertEquals(400, get(port, KEY_OPS, SECRET_OPS, "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").statusCode());
        assertEquals(400, get(port, KEY_OPS, SECRET_OPS, "format=xml").statusCode());
        assertEquals(400, get(port, KEY_OPS, SECRET_OPS, "account=..%2F..").statusCode());
        assertEquals(400, get(port, KEY_OPS, SECRET_OPS, "to=9999999999-01-01T00:00:00Z").statusCode());
    }

    private static void runWorkload(SqsClient a, SqsClient b) {
        String queue = a.createQueue(r -> r.queueName("metered")).queueUrl();
        a.getQueueUrl(r -> r.queueName("metered"));
        a.sendMessage(r -> r.queueUrl(queue).messageBody("hello"));
        a.sendMessage(r -> r.queueUrl(queue).messageBody("x".repeat(100 * KIB)));
        a.sendMessageBatch(r -> r.queueUrl(queue).entries(List.of(
                SendMessageBatchRequestEntry.builder().id("1").messageBody("a".repeat(30 * KIB)).build(),
                SendMessageBatchRequestEntry.builder().id("2").messageBody("b".repeat(30 * KIB)).build(),
                SendMessageBatchRequestEntry.builder().id("3").messageBody("c".repeat(30 * KIB)).build())));
        List<Message> received = a.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(60))
                .messages();
        assertEquals(5, received.size(), "one receive takes all five messages");
        a.deleteMessage(r -> r.queueUrl(queue).receiptHandle(received.get(0).receiptHandle()));
        a.deleteMessageBatch(r -> r.queueUrl(queue).entries(received.subList(1, 5).stream().map(message ->
                software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                        .id(message.messageId()).receiptHandle(message.receiptHandle()).build()).toList()));
        // Deleting with the handle again is accepted by SQS (the message is gone): one more request all the same.
        a.deleteMessage(r -> r.queueUrl(queue).receiptHandle(received.get(0).receiptHandle()));
        assertEquals(0, a.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(0)).messages().size());
        String queueB = b.createQueue(r -> r.queueName("metered")).queueUrl();
        b.sendMessage(r -> r.queueUrl(queueB).messageBody("from b"));
    }

    private static void publish(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("alerts")).topicArn();
        sns.publish(r -> r.topicArn(topic).message("disk full"));
        sns.publish(r -> r.topicArn(topic).message("y".repeat(100 * KIB)));
        sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(List.of(
                PublishBatchRequestEntry.builder().id("1").message("a".repeat(30 * KIB)).build(),
                PublishBatchRequestEntry.builder().id("2").message("b".repeat(30 * KIB)).build(),
                PublishBatchRequestEntry.builder().id("3").message("c".repeat(30 * KIB)).build())));
    }

    private static void assertBilled(int port, long httpBytes) throws Exception {
        // The empty receive reaches the log with the edge's next flush (every 2 s).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode own = JSON.readTree(ok(get(port, KEY_A, SECRET_A, "")).body());
        while (own.get("Totals").get(ACCOUNT_A).get("SqsRequests").asLong() < A_REQUESTS && System.nanoTime() < deadline) {
            Thread.sleep(200);
            own = JSON.readTree(ok(get(port, KEY_A, SECRET_A, "")).body());
        }
        assertEquals(List.of(ACCOUNT_A), fieldNames(own.get("Totals")), "an account's key reads its own account");
        assertEquals(A_REQUESTS, own.get("Totals").get(ACCOUNT_A).get("SqsRequests").asLong(), own.toString());
        assertEquals(A_PAYLOAD, own.get("Totals").get(ACCOUNT_A).get("SqsBytesOut").asLong(), own.toString());

        JsonNode all = JSON.readTree(ok(get(port, KEY_OPS, SECRET_OPS, "")).body());
        assertEquals(A_REQUESTS, all.get("Totals").get(ACCOUNT_A).get("SqsRequests").asLong(), all.toString());
        assertEquals(B_REQUESTS, all.get("Totals").get(ACCOUNT_B).get("SqsRequests").asLong(), all.toString());
        assertEquals(0, all.get("Totals").get(ACCOUNT_B).get("SqsBytesOut").asLong(), all.toString());
        assertEquals(B_PUBLISHES, all.get("Totals").get(ACCOUNT_B).get("SnsPublishes").asLong(), all.toString());
        assertEquals(0, all.get("Totals").get(ACCOUNT_A).get("SnsPublishes").asLong(), all.toString());
        // One publish fanned out to three protocols: one delivery of each, billed to the topic's owner.
        JsonNode billedB = all.get("Totals").get(ACCOUNT_B);
        assertEquals(List.of(1L, 1L, 0L, 1L, httpBytes, 1L), List.of(billedB.get("SnsDeliveriesSqs").asLong(),
                billedB.get("SnsDeliveriesHttp").asLong(), billedB.get("SnsDeliveriesEmail").asLong(),
                billedB.get("SnsDeliveriesLambda").asLong(), billedB.get("SnsHttpBytesOut").asLong(),
                billedB.get("FunctionInvocations").asLong()), all.toString());
        assertTrue(billedB.get("FunctionDurationMs").asLong() >= 1, all.toString());
        JsonNode billedC = all.get("Totals").get(ACCOUNT_C);
        assertEquals(1, billedC.get("FunctionInvocations").asLong(), all.toString());
        assertTrue(billedC.get("FunctionDurationMs").asLong() >= WORKER_MILLIS, "C's function ran " + WORKER_MILLIS
                + " ms: " + all);
        assertEquals(0, billedC.get("SnsDeliveriesLambda").asLong(), "a mapping's invocation is no SNS delivery");
        assertEquals(0, billedC.get("SnsDeliveriesHttp").asLong() + billedC.get("SnsHttpBytesOut").asLong(), all.toString());

        HttpResponse<String> csv = ok(get(port, KEY_OPS, SECRET_OPS, "account=" + ACCOUNT_B + "&format=csv"));
        List<String> lines = csv.body().lines().toList();
        assertEquals("Account,Hour,SqsRequests,SqsBytesOut,SnsPublishes,SnsDeliveriesSqs,SnsDeliveriesHttp,"
                + "SnsDeliveriesEmail,SnsDeliveriesLambda,SnsHttpBytesOut,FunctionInvocations,FunctionDurationMs,"
                + "StoredMessageByteHours", lines.get(0));
        assertEquals(B_REQUESTS, lines.subList(1, lines.size()).stream()
                .mapToLong(line -> Long.parseLong(line.split(",")[2])).sum(), csv.body());
        assertTrue(lines.subList(1, lines.size()).stream().allMatch(line -> line.startsWith(ACCOUNT_B + ",")), csv.body());

        HttpResponse<String> jsonLines = ok(get(port, KEY_A, SECRET_A, "format=jsonl"));
        long requests = 0;
        for (String line : jsonLines.body().lines().toList()) {
            JsonNode hour = JSON.readTree(line);
            assertEquals(ACCOUNT_A, hour.get("Account").asText());
            assertEquals(0, Instant.parse(hour.get("Hour").asText()).toEpochMilli() % 3_600_000L);
            requests += hour.get("SqsRequests").asLong();
        }
        assertEquals(A_REQUESTS, requests);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static HttpResponse<String> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    static HttpResponse<String> get(int port, String key, String secret, String query) throws Exception {
        return get(port, key, secret, "/v1/usage", query);
    }

    /** A GET of {@code path?query} ({@code query} empty: none) signed with the key. */
    static HttpResponse<String> get(int port, String key, String secret, String path, String query) throws Exception {
        RawSigner signer = new RawSigner(key, secret, port);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path
                + (query.isEmpty() ? "" : "?" + query))).GET();
        signer.headers("GET", path, query, Map.of(), new byte[0], null, "sqs", Instant.now()).stream()
                .filter(header -> !header.getKey().equalsIgnoreCase("host"))
                .forEach(header -> request.header(header.getKey(), header.getValue()));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A signed JSON POST to the REST API. */
    static HttpResponse<String> post(int port, String key, String secret, String path, String json)
            throws Exception {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        new RawSigner(key, secret, port).headers("POST", path, "", Map.of("Content-Type", "application/json"), body, null,
                "sqs", Instant.now()).stream().filter(header -> !header.getKey().equalsIgnoreCase("host"))
                .forEach(header -> request.header(header.getKey(), header.getValue()));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static SnsClient sns(int port, String key, String secret) {
        return SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    static SqsClient client(int port, String key, String secret) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }
}
