package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code simulation.clockFile} through a real server and the AWS SDK: the time in the file is the time the leader stamps
 * into the entries (a message's SentTimestamp; its visibility timeout runs on it) and the edge's (the usage read's
 * default hours), and a move of the file shows in the next entry; a long poll still waits real seconds; a missing file
 * stops the start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulationClockIT {
    private static final Instant HALF_PAST_TEN = Instant.parse("2030-01-01T10:30:00Z");

    @TempDir
    Path data;

    @Test
    void entriesCarryTheTimeInTheClockFileAndAMoveShowsInTheNextOne() throws Exception {
        Path clock = data.resolve("clock");
        ClockFileWriter.set(clock, HALF_PAST_TEN);
        try (SqsTestServer server = SqsTestServer.start(data.resolve("node"), config -> config.withSimulation(
                new SluiceConfig.Simulation(Optional.of(clock))))) {
            SqsClient sqs = server.sqs;
            String url = sqs.createQueue(r -> r.queueName("stamped")).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("at half past ten"));
            assertEquals(Map.of("at half past ten", HALF_PAST_TEN), sentAt(receive(sqs, url)));
            assertEquals(Map.of(), sentAt(receive(sqs, url)), "in flight for 10 minutes of the clock, which stands still");

            // 15 minutes later: the first message's 10-minute visibility timeout ran out with the clock.
            ClockFileWriter.set(clock, HALF_PAST_TEN.plusSeconds(15 * 60));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("a quarter of an hour later"));
            assertEquals(Map.of("at half past ten", HALF_PAST_TEN, "a quarter of an hour later", HALF_PAST_TEN.plusSeconds(15 * 60)),
                    sentAt(receive(sqs, url)));

            // A long poll's WaitTimeSeconds is the client's real wait: it ends although the clock stands still.
            long started = System.nanoTime();
            List<Message> none = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(List.of(), none);
            assertTrue(tookMillis >= 900 && tookMillis < 8_000, "a 1 s long poll took " + tookMillis + " ms");

            JsonObject usage = new JsonObject(new HttpProbe(server.server.httpPort()).get("/v1/usage").body());
            assertEquals("2030-01-01T11:00:00Z", usage.getString("To"), "the usage read's default hours end with the clock's");
        }
    }

    @Test
    void aMissingClockFileStopsTheStartNamingTheFile() {
        Path missing = data.resolve("no-clock");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SqsTestServer.start(
                data.resolve("node"), config -> config.withSimulation(new SluiceConfig.Simulation(Optional.of(missing)))));
        assertTrue(refused.getMessage().contains("simulation.clockFile " + missing), refused.getMessage());
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(600)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
    }

    /** Each message's body with its SentTimestamp. */
    private static Map<String, Instant> sentAt(List<Message> messages) {
        return messages.stream().collect(Collectors.toMap(Message::body, message -> Instant.ofEpochMilli(
                Long.parseLong(message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)))));
    }
}
