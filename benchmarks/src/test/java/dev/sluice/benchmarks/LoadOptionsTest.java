package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
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
