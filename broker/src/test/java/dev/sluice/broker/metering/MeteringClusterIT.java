package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.bridge.FunctionServer;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Three Sluice processes run a scripted workload (single sends, a batch, messages over 64 KiB, receives, deletes, SNS
 * publishes and a publish batch, a topic fanning out to a queue, a webhook and a function) with the queue group's leader killed (SIGKILL) in the middle; usage read from every
 * node afterwards, the restarted one included, is exactly what the workload bills: counted in apply into replicated
 * state, the new leader holds every count the old one made, once. The clients never retry, so every request the
 * script made is exactly one request. Every node reads one clock file the test sets (simulation.clockFile): sends at
 * 10:30, the kill and a send at 10:45, receives and deletes at 11:15, the usage read at 12:00; so the stored
 * message byte-hours of each hour are known to the byte and checked like every other kind.
 */
@Tag("cluster")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class MeteringClusterIT {
    private static final String ACCOUNT = "000000000000";
    private static final int KIB = 1024;
    private static final Instant TEN = Instant.parse("2030-01-01T10:00:00Z");

    /** The time every node's clock shows (the test moves it). */
    private Instant now;
    /** The payload bytes each queue of the account stores, as a script of changes (queue, when, bytes added or removed). */
    private final ExpectedByteHours stored = new ExpectedByteHours();

    private long sqsRequests;
    private long bytesOut;
    private long publishes;
    /** Deliveries per protocol (sqs, http, lambda), the bytes POSTed to the webhook, the lambda's invocations. */
    private long sqsDeliveries;
    private long httpDeliveries;
    private long lambdaDeliveries;
    private long httpBytesOut;
    private long invocations;

    @Test
    void usageIsExactAcrossALeaderKill() throws Exception {
        try (SluiceProcesses sluice = new SluiceProcesses(3, List.of("--webhook-allowed-networks", "127.0.0.1/32"));
                WebhookEndpoint webhook = new WebhookEndpoint(delivery -> 200);
                FunctionServer pager = new FunctionServer()) {
            setClock(sluice, TEN.plusSeconds(30 * 60));
            sluice.startAll();
            int entry = 0;
            String url;
            String topic;
            String group;
            try (SqsClient sqs = SqsTestServer.clientWithoutRetries(sluice.httpPorts[entry]);
                    SnsClient sns = sns(sluice.httpPorts[entry])) {
                url = sqs.createQueue(r -> r.queueName("metered")).queueUrl();
                sqsRequests += 1;
                group = new JsonObject(new HttpProbe(sluice.httpPorts[entry]).get("/v1/queues/metered").body())
                        .getJsonArray("groups").getString(0);
                send(sqs, url, "hello");
                send(sqs, url, "x".repeat(100 * KIB));
                sendBatch(sqs, url, List.of("a".repeat(30 * KIB), "b".repeat(30 * KIB), "c".repeat(30 * KIB)));
                topic = sns.createTopic(r -> r.name("alerts")).topicArn();
                publish(sns, topic, "disk full");
                publish(sns, topic, "y".repeat(100 * KIB));
                fanOut(sluice, entry, sqs, sns, webhook, pager);
            }
            int leader = sluice.leaderOf(group, entry);
            if (leader == entry) {
                entry = (leader + 1) % 3;
            }
            setClock(sluice, TEN.plusSeconds(45 * 60));
            sluice.kill(leader);
            int via = entry;
            awaitNewLeader(sluice, group, leader, via);
            try (SqsClient sqs = SqsTestServer.clientWithoutRetries(sluice.httpPorts[via]);
                    SnsClient sns = sns(sluice.httpPorts[via])) {
                send(sqs, url, "z".repeat(200 * KIB));
                setClock(sluice, TEN.plusSeconds(75 * 60));
                drain(sqs, url, 6);
                publishBatch(sns, topic, List.of("p".repeat(30 * KIB), "q".repeat(30 * KIB), "r".repeat(30 * KIB)));
            }
            // 12:00: the leader's hourly tick bills what the queues still hold up to it, closing hours 10 and 11.
            setClock(sluice, TEN.plusSeconds(120 * 60));
            // metered: 194,565 B from 10:30, 399,365 B from 10:45, none from 11:15: 148,482.5 byte-hours in hour 10, the
            // half carried into hour 11's 99,841.25. fanned: 12 B from 10:30 on: 6 in hour 10, 12 in hour 11.
            assertEquals(Map.of(TEN, 148_482L + 6, TEN.plusSeconds(3600), 99_841L + 12), stored.byHour(now),
                    "the script's expectation");
            for (int node = 0; node < 3; node++) {
                if (node != leader) {
                    assertUsage(sluice, node);
                }
            }
            sluice.start(leader);
            sluice.awaitHealthy(leader);
            assertUsage(sluice, leader);
        }
    }

    private void assertUsage(SluiceProcesses sluice, int node) throws Exception {
        // Empty receives reach the log with the edge's next flush (every 2 s): wait for the total, then compare all.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonObject totals = totals(sluice, node);
        while (totals.getLong("SqsRequests") < sqsRequests && System.nanoTime() < deadline) {
            Thread.sleep(200);
            totals = totals(sluice, node);
        }
        String seen = "usage read on n" + (node + 1) + ": " + totals;
        assertEquals(sqsRequests, totals.getLong("SqsRequests"), seen + sluice.logTails());
        assertEquals(bytesOut, totals.getLong("SqsBytesOut"), seen);
        assertEquals(publishes, totals.getLong("SnsPublishes"), seen);
        assertEquals(List.of(sqsDeliveries, httpDeliveries, lambdaDeliveries, httpBytesOut, invocations),
                List.of(totals.getLong("SnsDeliveriesSqs"), totals.getLong("SnsDeliveriesHttp"),
                        totals.getLong("SnsDeliveriesLambda"), totals.getLong("SnsHttpBytesOut"),
                        totals.getLong("FunctionInvocations")), seen);
        // The 12:00 tick is proposed within a second of the clock's move, by whichever node leads then: wait for it.
        Map<Instant, Long> expected = stored.byHour(now);
        Map<Instant, Long> billed = byteHours(sluice, node);
        long tickDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!billed.equals(expected) && System.nanoTime() < tickDeadline) {
            Thread.sleep(200);
            billed = byteHours(sluice, node);
        }
        assertEquals(expected, billed, "StoredMessageByteHours per hour read on n" + (node + 1));
    }

    /** Every node's clock to {@code at}: the next request of the script, on any node, is stamped with it. */
    private void setClock(SluiceProcesses sluice, Instant at) throws Exception {
        sluice.setClock(at);
        now = at;
    }

    /** The account's StoredMessageByteHours per hour (hours without any left out) from 10:00 to 13:00, from GET /v1/usage. */
    private static Map<Instant, Long> byteHours(SluiceProcesses sluice, int node) throws Exception {
        HttpResponse<String> answer = new HttpProbe(sluice.httpPorts[node]).get("/v1/usage?account=" + ACCOUNT + "&from="
                + TEN + "&to=" + TEN.plusSeconds(3 * 3600));
        assertEquals(200, answer.statusCode(), answer.body());
        Map<Instant, Long> hours = new TreeMap<>();
        for (Object row : new JsonObject(answer.body()).getJsonArray("Hours")) {
            long byteHours = ((JsonObject) row).getLong("StoredMessageByteHours", 0L);
            if (byteHours > 0) {
                hours.put(Instant.parse(((JsonObject) row).getString("Hour")), byteHours);
            }
        }
        return hours;
    }

    /**
     * A topic fanning out to three protocols (a queue, a confirmed webhook, a function), two notifications published
     * one after the other (so each is one fanout send into the queue: one SQS request of its owner). Waits until the
     * usage read shows them all, so the leader kill after it must keep every count, once.
     */
    private void fanOut(SluiceProcesses sluice, int entry, SqsClient sqs, SnsClient sns, WebhookEndpoint webhook,
            FunctionServer pager) throws Exception {
        HttpProbe rest = new HttpProbe(sluice.httpPorts[entry]);
        HttpResponse<String> created = rest.post("/v1/functions", "{\"FunctionName\":\"pager\",\"InvokeUrl\":\""
                + pager.url() + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String topic = sns.createTopic(r -> r.name("fanout")).topicArn();
        String fanned = sqs.createQueue(r -> r.queueName("fanned")).queueUrl();
        sqsRequests += 1;
        String fannedArn = sqs.getQueueAttributes(r -> r.queueUrl(fanned).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        // Raw: the copy stored is the message itself, so its bytes are known (an envelope's are not).
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(fannedArn).attributes(Map.of("RawMessageDelivery", "true")));
        sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint("arn:aws:lambda:us-east-1:" + ACCOUNT
                + ":function:pager"));
        sns.subscribe(r -> r.topicArn(topic).protocol("http").endpoint(webhook.url("/hook")));
        WebhookEndpoint.Delivery confirmation = webhook.await(delivery -> "SubscriptionConfirmation".equals(
                delivery.header("x-amz-sns-message-type")), 1, 60).get(0);
        String token = new JsonObject(confirmation.body()).getString("Token");
        sns.confirmSubscription(r -> r.topicArn(topic).token(token));
        for (int i = 1; i <= 2; i++) {
            String page = "page " + i;
            publish(sns, topic, page);
            stored.add("fanned", now, page.length());
            int expected = i;
            List<WebhookEndpoint.Delivery> notified = webhook.await(delivery -> "Notification".equals(
                    delivery.header("x-amz-sns-message-type")), expected, 60);
            assertEquals(expected, notified.size(), "webhook notifications" + sluice.logTails());
            awaitTrue(() -> pager.events().size() >= expected && depth(sqs, fanned) >= expected, "delivery " + expected);
            // An sqs copy is billed by the entry that stores it: exact once it is in the queue, no edge flush to await.
            assertEquals(Long.valueOf(expected), totals(sluice, entry).getLong("SnsDeliveriesSqs"), "sqs deliveries billed with the copy");
            sqsRequests += 1;
        }
        webhook.deliveries().stream().filter(delivery -> "Notification".equals(delivery.header("x-amz-sns-message-type")))
                .forEach(delivery -> httpBytesOut += delivery.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        sqsDeliveries = 2;
        httpDeliveries = 2;
        lambdaDeliveries = 2;
        invocations = 2;
        awaitTrue(() -> {
            JsonObject totals = totals(sluice, entry);
            return totals.getLong("SnsDeliveriesHttp") >= httpDeliveries
                    && totals.getLong("SnsDeliveriesLambda") >= lambdaDeliveries;
        }, "the push deliveries in the usage read (billed by the deletes of their copies)");
        // A lambda delivery and its invocation are billed by the same delete: no edge flush to await.
        assertEquals(invocations, totals(sluice, entry).getLong("FunctionInvocations"), "invocations billed with the deliveries");
    }

    private static long depth(SqsClient sqs, String url) {
        return Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private static JsonObject totals(SluiceProcesses sluice, int node) throws Exception {
        HttpResponse<String> answer = new HttpProbe(sluice.httpPorts[node]).get("/v1/usage?account=" + ACCOUNT);
        assertEquals(200, answer.statusCode(), answer.body());
        return new JsonObject(answer.body()).getJsonObject("Totals").getJsonObject(ACCOUNT);
    }

    private static void awaitNewLeader(SluiceProcesses sluice, String group, int killed, int askNode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sluice.leaderOf(group, askNode) == killed) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new leader of " + group + sluice.logTails());
            }
            Thread.sleep(200);
        }
        assertNotEquals(killed, sluice.leaderOf(group, askNode));
        sluice.awaitHealthy(askNode, Duration.ofSeconds(60));
    }

    private void send(SqsClient sqs, String url, String body) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        sqsRequests += UsageMeter.requests(body.length());
        stored.add(queueName(url), now, body.length());
    }

    private static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void sendBatch(SqsClient sqs, String url, List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        long payload = 0;
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build());
            payload += bodies.get(i).length();
        }
        assertEquals(0, sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries)).failed().size());
        sqsRequests += UsageMeter.requests(payload);
        stored.add(queueName(url), now, payload);
    }

    /** Receives (and deletes, a batch per receive) until {@code expected} messages came; an empty receive bills one. */
    private void drain(SqsClient sqs, String url, int expected) {
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < expected && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)
                    .visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
                sqsRequests += 1;
                continue;
            }
            long payload = messages.stream().mapToLong(message -> message.body().length()).sum();
            sqsRequests += UsageMeter.requests(payload);
            bytesOut += payload;
            received += messages.size();
            sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(messages.stream().map(message -> DeleteMessageBatchRequestEntry
                    .builder().id(message.messageId()).receiptHandle(message.receiptHandle()).build()).toList()));
            sqsRequests += 1;
            stored.add(queueName(url), now, -payload);
        }
        assertEquals(expected, received, "every acknowledged message came back");
    }

    private void publish(SnsClient sns, String topic, String message) {
        sns.publish(r -> r.topicArn(topic).message(message));
        publishes += UsageMeter.requests(message.length());
    }

    private void publishBatch(SnsClient sns, String topic, List<String> messages) {
        List<PublishBatchRequestEntry> entries = new ArrayList<>();
        long payload = 0;
        for (int i = 0; i < messages.size(); i++) {
            entries.add(PublishBatchRequestEntry.builder().id("p" + i).message(messages.get(i)).build());
            payload += messages.get(i).length();
        }
        assertEquals(0, sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(entries)).failed().size());
        publishes += UsageMeter.requests(payload);
    }

    private static SnsClient sns(int port) {
        return SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("anything", "anything")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }
}
