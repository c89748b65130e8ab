package dev.sluice.broker.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Stored message byte-hours through the real AWS SDK, on a clock the test sets (the leader stamps its time into every
 * entry, so the test decides when each message was stored and removed): exact counts per hour across hour boundaries,
 * through a delete, a purge, an in-flight and a delayed message, a restart in between, and an idle queue whose hours
 * only the leader's hourly tick closes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoredByteHoursIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    /** 2030-01-01T10:00:00Z. */
    private static final long TEN = Instant.parse("2030-01-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path data;

    /** A clock that stands still where the test puts it: every entry is stamped with exactly that time. */
    private static final class SetClock implements InstantSource {
        private final AtomicLong millis = new AtomicLong();

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        void set(long at) {
            millis.set(at);
        }
    }

    @Test
    void storedBytesAreBilledExactlyPerHourAcrossDeletesAPurgeARestartAndIdleHours() throws Exception {
        SetClock clock = new SetClock();
        clock.set(TEN + 30 * MINUTE);
        String busy;
        try (SqsTestServer server = SqsTestServer.start(data, config -> config, clock)) {
            SqsClient sqs = server.sqs;
            busy = sqs.createQueue(r -> r.queueName("busy")).queueUrl();
            String idle = sqs.createQueue(r -> r.queueName("idle")).queueUrl();
            // 10:30: 1,000 bytes in busy; 360 bytes in idle, delayed for 15 minutes (a delayed message is stored too).
            sqs.sendMessage(r -> r.queueUrl(busy).messageBody("a".repeat(1_000)));
            sqs.sendMessage(r -> r.queueUrl(idle).messageBody("i".repeat(360)).delaySeconds(900));
            clock.set(TEN + 45 * MINUTE);
            // 10:45: 2,000 bytes of body and 8 of attribute ("k", "String", "v"): busy holds 3,008.
            sqs.sendMessage(r -> r.queueUrl(busy).messageBody("b".repeat(2_000)).messageAttributes(Map.of("k",
                    MessageAttributeValue.builder().dataType("String").stringValue("v").build())));
            clock.set(TEN + HOUR + 15 * MINUTE);
            // 11:15: both received (in flight, still stored), the 1,000 deleted: busy holds 2,008.
            List<Message> received = sqs.receiveMessage(r -> r.queueUrl(busy).maxNumberOfMessages(10)
                    .visibilityTimeout(3_600)).messages();
            assertEquals(2, received.size());
            Message first = received.stream().filter(message -> message.body().startsWith("a")).findFirst().orElseThrow();
            sqs.deleteMessage(r -> r.queueUrl(busy).receiptHandle(first.receiptHandle()));
        }
        try (SqsTestServer server = SqsTestServer.start(data, config -> config, clock)) {
            clock.set(TEN + HOUR + 30 * MINUTE);
            // 11:30, after a restart (stored bytes and billing positions read back from RocksDB): busy purged.
            server.sqs.purgeQueue(r -> r.queueUrl(busy));
            clock.set(TEN + 2 * HOUR + 10 * MINUTE);
            // 12:10: nothing touches idle; the leader's tick closes hour 11 and bills 12:00-12:10.
            Map<Long, Long> expected = Map.of(
                    TEN, 250 + 752 + 180L, // busy 1,000 B x 15 min + 3,008 B x 15 min; idle 360 B x 30 min
                    TEN + HOUR, 752 + 502 + 360L, // busy 3,008 B x 15 min + 2,008 B x 15 min; idle 360 B x 60 min
                    TEN + 2 * HOUR, 60L); // idle 360 B x 10 min
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<Long, Long> billed = byteHours(server.port());
            while (!billed.equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                billed = byteHours(server.port());
            }
            assertEquals(new TreeMap<>(expected), billed);
        }
    }

    /** The account's StoredMessageByteHours per hour (hours without any left out), from GET /v1/usage. */
    private static Map<Long, Long> byteHours(int port) throws Exception {
        String query = "account=" + ACCOUNT + "&from=2030-01-01T09:00:00Z&to=2030-01-01T14:00:00Z";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/usage?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<Long, Long> hours = new TreeMap<>();
        for (JsonNode row : JSON.readTree(response.body()).get("Hours")) {
            long byteHours = row.get("StoredMessageByteHours").asLong();
            if (byteHours > 0) {
                hours.put(Instant.parse(row.get("Hour").asText()).toEpochMilli(), byteHours);
            }
        }
        return hours;
    }
}
