package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadOptionsTest {

    @Test
    void defaultsApplyWhenOnlyEndpointAndQueueAreGiven() {
        LoadOptions options = LoadOptions.parse("--endpoint", "http://127.0.0.1:9324", "--queue", "bench");

        assertEquals(URI.create("http://127.0.0.1:9324"), options.endpoint());
        assertEquals("bench", options.queueName());
        assertEquals(4, options.producers());
        assertEquals(4, options.consumers());
        assertEquals(Duration.ofSeconds(3), options.warmup());
        assertEquals(Duration.ofSeconds(20), options.measured());
        assertEquals(200, options.bodyBytes());
        assertEquals(1, options.waitSeconds());
        assertFalse(options.fifo());
        assertEquals(0, options.groups());
        assertEquals(OptionalLong.empty(), options.serverPid());
        assertEquals(1, options.queues());
        assertEquals(List.of("bench"), options.queueNames());
        assertTrue(options.queueAttributes().isEmpty());
        assertEquals(Optional.empty(), options.label());
        assertEquals(1, options.repetition());
    }

    @Test
    void aRateSpacesEachProducersBatchesSoAllTogetherOfferIt() {
        LoadOptions unpaced = LoadOptions.parse("--endpoint", "http://h", "--queue", "q");
        assertEquals(0, unpaced.ratePerSecond());
        assertEquals(0, unpaced.batchIntervalNanos());

        // 8 producers x 10 messages per batch at 400 msg/s: each producer sends a batch every 200 ms.
        LoadOptions paced = LoadOptions.parse("--endpoint", "http://h", "--queue", "q", "--producers", "8", "--rate", "400");
        assertEquals(400, paced.ratePerSecond());
        assertEquals(200_000_000L, paced.batchIntervalNanos());

        assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--endpoint", "http://h", "--queue", "q", "--rate", "-1"));
    }

    @Test
    void severalQueuesAreNamedByIndexAndKeepTheFifoSuffix() {
        LoadOptions standard = LoadOptions.parse("--endpoint", "http://h", "--queue", "spread", "--queues", "3",
                "--producers", "3", "--consumers", "6");
        assertEquals(List.of("spread-0", "spread-1", "spread-2"), standard.queueNames());

        LoadOptions fifo = LoadOptions.parse("--endpoint", "http://h", "--queue", "spread", "--queues", "2", "--fifo");
        assertEquals(List.of("spread-0.fifo", "spread-1.fifo"), fifo.queueNames());
    }

    @Test
    void everyQueueNeedsAProducerAndAConsumerOfItsOwn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(
                "--endpoint", "http://h", "--queue", "q", "--queues", "8", "--producers", "8", "--consumers", "4"));
        assertTrue(e.getMessage().contains("--queues must not exceed --producers or --consumers"), e.getMessage());
    }

    @Test
    void queueAttributesLabelAndRepetitionAreParsed() {
        LoadOptions options = LoadOptions.parse("--endpoint", "http://h", "--queue", "hot",
                "--queue-attribute", "Partitions=4", "--queue-attribute", "VisibilityTimeout=60",
                "--label", "partitions=4", "--repetition", "2");

        assertEquals(Map.of("Partitions", "4", "VisibilityTimeout", "60"), options.queueAttributes());
        assertEquals(Optional.of("partitions=4"), options.label());
        assertEquals(2, options.repetition());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(
                "--endpoint", "http://h", "--queue", "q", "--queue-attribute", "=4", "--repetition", "100"));
        assertTrue(e.getMessage().contains("--queue-attribute must be NAME=VALUE"), e.getMessage());
        assertTrue(e.getMessage().contains("--repetition must be in 1..99"), e.getMessage());
    }

    @Test
    void everyOptionIsParsed() {
        LoadOptions options = LoadOptions.parse("--endpoint", "http://localhost:1", "--queue", "q",
                "--producers", "8", "--consumers", "2", "--seconds", "30", "--warmup-seconds", "0",
                "--drain-seconds", "7", "--fifo", "--groups", "16", "--body-bytes", "1024",
                "--wait-seconds", "20", "--server-pid", "4242", "--keep-queue");

        assertEquals(8, options.producers());
        assertEquals(2, options.consumers());
        assertEquals(Duration.ofSeconds(30), options.measured());
        assertEquals(Duration.ZERO, options.warmup());
        assertEquals(Duration.ofSeconds(7), options.drainLimit());
        assertTrue(options.fifo());
        assertEquals(16, options.groups());
        assertEquals(1024, options.bodyBytes());
        assertEquals(20, options.waitSeconds());
        assertEquals(OptionalLong.of(4242), options.serverPid());
        assertTrue(options.keepQueue());
    }

    @Test
    void fifoAppendsTheSuffixOnceAndDefaultsToTenGroups() {
        assertEquals("orders.fifo", LoadOptions.parse("--endpoint", "http://h", "--queue", "orders", "--fifo").queueName());
        LoadOptions suffixed = LoadOptions.parse("--endpoint", "http://h", "--queue", "orders.fifo", "--fifo");
        assertEquals("orders.fifo", suffixed.queueName());
        assertEquals(10, suffixed.groups());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(
                "--producers", "0", "--consumers", "many", "--wait-seconds", "21", "--groups", "3", "--bogus", "1"));

        String message = e.getMessage();
        assertTrue(message.contains("--producers must be in 1..64"), message);
        assertTrue(message.contains("--consumers is not a whole number"), message);
        assertTrue(message.contains("--wait-seconds must be in 1..20"), message);
        assertTrue(message.contains("--groups needs --fifo"), message);
        assertTrue(message.contains("unknown option --bogus"), message);
        assertTrue(message.contains("--endpoint is required"), message);
        assertTrue(message.contains("--queue is required"), message);
    }

    @Test
    void bodiesMustFitTenToABatchUnderTheStrictLimit() {
        assertEquals(26_214, LoadOptions.MAX_BODY_BYTES);
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(
                "--endpoint", "http://h", "--queue", "q", "--body-bytes", "26215"));
    }

    @Test
    void anEndpointWithoutHttpSchemeOrAValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--endpoint", "127.0.0.1:9324", "--queue", "q"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--queue", "q", "--endpoint"));
        assertTrue(e.getMessage().contains("--endpoint needs a value"), e.getMessage());
    }

    @Test
    void queueNamesOutsideTheSqsAlphabetOrTooLongAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--endpoint", "http://h", "--queue", "a b"));
        String seventySix = "q".repeat(76);
        assertEquals(seventySix, LoadOptions.parse("--endpoint", "http://h", "--queue", seventySix).queueName());
        assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--endpoint", "http://h", "--queue", seventySix, "--fifo"));
    }
}
