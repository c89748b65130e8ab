package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.broker.bridge.FunctionServer;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SluiceProcesses;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Three Sluice processes with auth on run a scripted workload of two accounts with the queue group's leader killed
 * (SIGKILL) in the middle: the default account A sends single messages, a batch and messages over 64 KiB, publishes
 * and publishes a batch; account B sends over 64 KiB and a batch to its own queue and has a topic fanning out to three
 * protocols (its queue, a webhook, its function, so function invocations). Usage read from every node afterwards, the
 * restarted one included, is exactly what the workload bills each account: counted in apply into replicated state, the
 * new leader holds every count the old one made, once. The clients never retry, so every request the script made is
 * exactly one request. Every node reads one clock file the test sets (simulation.clockFile): sends at 10:30, the kill
 * and a send at 10:45, receives and deletes at 11:15, the usage read at 12:00; so each account's stored message
 * byte-hours of each hour are known to the byte and checked like every other kind.
 */
@Tag("cluster")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class MeteringClusterIT {
    private static final String ACCOUNT_A = "000000000000";
    private static final String ACCOUNT_B = "111111111111";
    private static final String KEY_A = "AKIDCLUSTERA";
    private static final String SECRET_A = "secret-of-a-123";
    private static final String KEY_B = "AKIDCLUSTERB";
    private static final String SECRET_B = "secret-of-b-456";
    private static final String KEY_OPS = "AKIDCLUSTEROPS";
    private static final String SECRET_OPS = "secret-of-ops-789";
    private static final int KIB = 1024;
    private static final Instant TEN = Instant.parse("2030-01-01T10:00:00Z");

    @TempDir
    Path settings;

    /** The time every node's clock shows (the test moves it). */
    private Instant now;
    private final Bill billA = new Bill(ACCOUNT_A);
    private final Bill billB = new Bill(ACCOUNT_B);

    /** What the script made one account use, kind by kind, as the documented rules bill it. */
    private static final class Bill {
        final String account;
        long sqsRequests;
        long bytesOut;
        long publishes;
        /** Deliveries per protocol (sqs, http, lambda), the bytes POSTed to the webhook, the lambda's invocations. */
        long sqsDeliveries;
        long httpDeliveries;
        long lambdaDeliveries;
        long httpBytesOut;
        long invocations;
        /** The payload bytes each queue of the account stores, as a script of changes. */
        final ExpectedByteHours stored = new ExpectedByteHours();

        Bill(String account) {
            this.account = account;
        }
    }

    @Test
    void usageOfTwoAccountsIsExactAcrossALeaderKill() throws Exception {
        Path config = Files.writeString(settings.resolve("auth.yaml"), "auth:\n  accessKeys: \"" + KEY_A + ":" + SECRET_A
                + ",account=" + ACCOUNT_B + "/" + KEY_B + ":" + SECRET_B + ",admin=" + KEY_OPS + ":" + SECRET_OPS + "\"\n");
        try (SluiceProcesses sluice = new SluiceProcesses(3, List.of("--webhook-allowed-networks", "127.0.0.1/32",
                        "--config", config.toString()));
                WebhookEndpoint webhook = new WebhookEndpoint(delivery -> 200);
                FunctionServer pager = new FunctionServer()) {
            setClock(sluice, TEN.plusSeconds(30 * 60));
            sluice.startAll();
            int entry = 0;
            String url;
            String ledger;
            String topic;
            String group;
            try (SqsClient a = UsageIT.client(sluice.httpPorts[entry], KEY_A, SECRET_A);
                    SnsClient snsA = UsageIT.sns(sluice.httpPorts[entry], KEY_A, SECRET_A);
                    SqsClient b = UsageIT.client(sluice.httpPorts[entry], KEY_B, SECRET_B);
                    SnsClient snsB = UsageIT.sns(sluice.httpPorts[entry], KEY_B, SECRET_B)) {
                url = a.createQueue(r -> r.queueName("metered")).queueUrl();
                billA.sqsRequests += 1;
                HttpResponse<String> layout = UsageIT.ok(UsageIT.get(sluice.httpPorts[entry], KEY_A, SECRET_A,
                        "/v1/queues/metered", ""));
                group = new JsonObject(layout.body()).getJsonArray("groups").getString(0);
                send(billA, a, url, "hello");
                send(billA, a, url, "x".repeat(100 * KIB));
                sendBatch(billA, a, url, List.of("a".repeat(30 * KIB), "b".repeat(30 * KIB), "c".repeat(30 * KIB)));
                topic = snsA.createTopic(r -> r.name("alerts")).topicArn();
                publish(billA, snsA, topic, "disk full");
                publish(billA, snsA, topic, "y".repeat(100 * KIB));
                ledger = b.createQueue(r -> r.queueName("ledger")).queueUrl();
                billB.sqsRequests += 1;
                send(billB, b, ledger, "w".repeat(70 * KIB));
                sendBatch(billB, b, ledger, List.of("one", "t".repeat(40 * KIB)));
                fanOut(billB, sluice, entry, b, snsB, webhook, pager);
            }
            int leader = sluice.leaderOf(group, entry);
            if (leader == entry) {
                entry = (leader + 1) % 3;
            }
            setClock(sluice, TEN.plusSeconds(45 * 60));
            sluice.kill(leader);
            int via = entry;
            awaitNewLeader(sluice, group, leader, via);
            try (SqsClient a = UsageIT.client(sluice.httpPorts[via], KEY_A, SECRET_A);
                    SnsClient snsA = UsageIT.sns(sluice.httpPorts[via], KEY_A, SECRET_A);
                    SqsClient b = UsageIT.client(sluice.httpPorts[via], KEY_B, SECRET_B)) {
                send(billA, a, url, "z".repeat(200 * KIB));
                setClock(sluice, TEN.plusSeconds(75 * 60));
                drain(billA, a, url, 6);
                drain(billB, b, ledger, 3);
                publishBatch(billA, snsA, topic, List.of("p".repeat(30 * KIB), "q".repeat(30 * KIB), "r".repeat(30 * KIB)));
            }
            // 12:00: the leader's hourly tick bills what the queues still hold up to it, closing hours 10 and 11.
            setClock(sluice, TEN.plusSeconds(120 * 60));
            // A's metered: 194,565 B from 10:30, 399,365 B from 10:45, none from 11:15: 148,482.5 byte-hours in hour 10,
            // the half carried into hour 11's 99,841.25. B's ledger: 112,643 B from 10:30 to 11:15: 56,321.5 in hour 10,
            // 28,160.75 + 0.5 in hour 11; B's fanned: 12 B from 10:30 on: 6 in hour 10, 12 in hour 11.
            assertEquals(Map.of(TEN, 148_482L, TEN.plusSeconds(3600), 99_841L), billA.stored.byHour(now), "A's script");
            assertEquals(Map.of(TEN, 56_321L + 6, TEN.plusSeconds(3600), 28_161L + 12), billB.stored.byHour(now), "B's script");
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
        for (Bill bill : List.of(billA, billB)) {
            assertUsage(sluice, node, bill);
        }
    }

    private void assertUsage(SluiceProcesses sluice, int node, Bill bill) throws Exception {
        // Empty receives reach the log with the edge's next flush (every 2 s): wait for the total, then compare all.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonObject totals = totals(sluice, node, bill.account);
        while (totals.getLong("SqsRequests", 0L) < bill.sqsRequests && System.nanoTime() < deadline) {
            Thread.sleep(200);
            totals = totals(sluice, node, bill.account);
        }
        String seen = bill.account + "'s usage read on n" + (node + 1) + ": " + totals;
        assertEquals(bill.sqsRequests, totals.getLong("SqsRequests", 0L), seen + sluice.logTails());
        assertEquals(bill.bytesOut, totals.getLong("SqsBytesOut", 0L), seen);
        assertEquals(bill.publishes, totals.getLong("SnsPublishes", 0L), seen);
        assertEquals(List.of(bill.sqsDeliveries, bill.httpDeliveries, bill.lambdaDeliveries, bill.httpBytesOut,
                        bill.invocations),
                List.of(totals.getLong("SnsDeliveriesSqs", 0L), totals.getLong("SnsDeliveriesHttp", 0L),
                        totals.getLong("SnsDeliveriesLambda", 0L), totals.getLong("SnsHttpBytesOut", 0L),
                        totals.getLong("FunctionInvocations", 0L)), seen);
        // The 12:00 tick is proposed within a second of the clock's move, by whichever node leads then: wait for it.
        Map<Instant, Long> expected = bill.stored.byHour(now);
        Map<Instant, Long> billed = byteHours(sluice, node, bill.account);
        long tickDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!billed.equals(expected) && System.nanoTime() < tickDeadline) {
            Thread.sleep(200);
            billed = byteHours(sluice, node, bill.account);
        }
        assertEquals(expected, billed, bill.account + "'s StoredMessageByteHours per hour read on n" + (node + 1));
    }

    /** Every node's clock to {@code at}: the next request of the script, on any node, is stamped with it. */
    private void setClock(SluiceProcesses sluice, Instant at) throws Exception {
        sluice.setClock(at);
        now = at;
    }

    /**
     * A topic of B's fanning out to three protocols (B's queue, raw so the copy stored is the message itself, a
     * confirmed webhook, B's function), two notifications published one after the other (so each is one fanout send
     * into the queue: one SQS request of its owner). Waits until the usage read shows them all, so the leader kill
     * after it must keep every count, once.
     */
    private void fanOut(Bill bill, SluiceProcesses sluice, int entry, SqsClient sqs, SnsClient sns, WebhookEndpoint webhook,
            FunctionServer pager) throws Exception {
        int port = sluice.httpPorts[entry];
        HttpResponse<String> created = UsageIT.post(port, KEY_B, SECRET_B, "/v1/functions", "{\"FunctionName\":\"pager\","
                + "\"InvokeUrl\":\"" + pager.url() + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String topic = sns.createTopic(r -> r.name("fanout")).topicArn();
        String fanned = sqs.createQueue(r -> r.queueName("fanned")).queueUrl();
        bill.sqsRequests += 1;
        String fannedArn = sqs.getQueueAttributes(r -> r.queueUrl(fanned).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(fannedArn).attributes(Map.of("RawMessageDelivery", "true")));
        sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint("arn:aws:lambda:us-east-1:" + bill.account
                + ":function:pager"));
        sns.subscribe(r -> r.topicArn(topic).protocol("http").endpoint(webhook.url("/hook")));
        WebhookEndpoint.Delivery confirmation = webhook.await(delivery -> "SubscriptionConfirmation".equals(
                delivery.header("x-amz-sns-message-type")), 1, 60).get(0);
        String token = new JsonObject(confirmation.body()).getString("Token");
        sns.confirmSubscription(r -> r.topicArn(topic).token(token));
        for (int i = 1; i <= 2; i++) {
            String page = "page " + i;
            publish(bill, sns, topic, page);
            bill.stored.add("fanned", now, page.length());
            int expected = i;
            List<WebhookEndpoint.Delivery> notified = webhook.await(delivery -> "Notification".equals(
                    delivery.header("x-amz-sns-message-type")), expected, 60);
            assertEquals(expected, notified.size(), "webhook notifications" + sluice.logTails());
            awaitTrue(() -> pager.events().size() >= expected && depth(sqs, fanned) >= expected, "delivery " + expected);
            // An sqs copy is billed by the entry that stores it: exact once it is in the queue, no edge flush to await.
            assertEquals(Long.valueOf(expected), totals(sluice, entry, bill.account).getLong("SnsDeliveriesSqs"),
                    "sqs deliveries billed with the copy");
            bill.sqsRequests += 1;
        }
        webhook.deliveries().stream().filter(delivery -> "Notification".equals(delivery.header("x-amz-sns-message-type")))
                .forEach(delivery -> bill.httpBytesOut += delivery.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        bill.sqsDeliveries = 2;
        bill.httpDeliveries = 2;
        bill.lambdaDeliveries = 2;
        bill.invocations = 2;
        awaitTrue(() -> {
            JsonObject totals = totals(sluice, entry, bill.account);
            return totals.getLong("SnsDeliveriesHttp", 0L) >= bill.httpDeliveries
                    && totals.getLong("SnsDeliveriesLambda", 0L) >= bill.lambdaDeliveries;
        }, "the push deliveries in the usage read (billed by the deletes of their copies)");
        // A lambda delivery and its invocation are billed by the same delete: no edge flush to await.
        assertEquals(bill.invocations, totals(sluice, entry, bill.account).getLong("FunctionInvocations"),
                "invocations billed with the deliveries");
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

    /** {@code account}'s totals as an operator reads them on {@code node} (an account without usage: empty). */
    private static JsonObject totals(SluiceProcesses sluice, int node, String account) throws Exception {
        JsonObject usage = new JsonObject(UsageIT.ok(UsageIT.get(sluice.httpPorts[node], KEY_OPS, SECRET_OPS,
                "account=" + account)).body());
        JsonObject totals = usage.getJsonObject("Totals").getJsonObject(account);
        return totals == null ? new JsonObject() : totals;
    }

    /** {@code account}'s StoredMessageByteHours per hour (hours without any left out) from 10:00 to 13:00. */
    private static Map<Instant, Long> byteHours(SluiceProcesses sluice, int node, String account) throws Exception {
        HttpResponse<String> answer = UsageIT.ok(UsageIT.get(sluice.httpPorts[node], KEY_OPS, SECRET_OPS, "account="
                + account + "&from=" + TEN + "&to=" + TEN.plusSeconds(3 * 3600)));
        Map<Instant, Long> hours = new TreeMap<>();
        for (Object row : new JsonObject(answer.body()).getJsonArray("Hours")) {
            long byteHours = ((JsonObject) row).getLong("StoredMessageByteHours", 0L);
            if (byteHours > 0) {
                hours.put(Instant.parse(((JsonObject) row).getString("Hour")), byteHours);
            }
        }
        return hours;
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

    private void send(Bill bill, SqsClient sqs, String url, String body) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        bill.sqsRequests += UsageMeter.requests(body.length());
        bill.stored.add(queueName(url), now, body.length());
    }

    private static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void sendBatch(Bill bill, SqsClient sqs, String url, List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        long payload = 0;
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build());
            payload += bodies.get(i).length();
        }
        assertEquals(0, sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries)).failed().size());
        bill.sqsRequests += UsageMeter.requests(payload);
        bill.stored.add(queueName(url), now, payload);
    }

    /** Receives (and deletes, a batch per receive) until {@code expected} messages came; an empty receive bills one. */
    private void drain(Bill bill, SqsClient sqs, String url, int expected) {
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < expected && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)
                    .visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
                bill.sqsRequests += 1;
                continue;
            }
            long payload = messages.stream().mapToLong(message -> message.body().length()).sum();
            bill.sqsRequests += UsageMeter.requests(payload);
            bill.bytesOut += payload;
            received += messages.size();
            sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(messages.stream().map(message -> DeleteMessageBatchRequestEntry
                    .builder().id(message.messageId()).receiptHandle(message.receiptHandle()).build()).toList()));
            bill.sqsRequests += 1;
            bill.stored.add(queueName(url), now, -payload);
        }
        assertEquals(expected, received, "every acknowledged message came back");
    }

    private void publish(Bill bill, SnsClient sns, String topic, String message) {
        sns.publish(r -> r.topicArn(topic).message(message));
        bill.publishes += UsageMeter.requests(message.length());
    }

    private void publishBatch(Bill bill, SnsClient sns, String topic, List<String> messages) {
        List<PublishBatchRequestEntry> entries = new ArrayList<>();
        long payload = 0;
        for (int i = 0; i < messages.size(); i++) {
            entries.add(PublishBatchRequestEntry.builder().id("p" + i).message(messages.get(i)).build());
            payload += messages.get(i).length();
        }
        assertEquals(0, sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(entries)).failed().size());
        bill.publishes += UsageMeter.requests(payload);
    }
}
