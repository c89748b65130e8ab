package dev.sluice.faasbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BridgeOptionsTest {

    @Test
    void flagsBecomeSettings() {
        BridgeOptions options = BridgeOptions.parse(new String[] {"--endpoint", "http://10.0.0.5:9324/", "--port", "0",
                "--poll-wait-seconds", "5", "--max-concurrency", "8", "--refresh-seconds", "3"}).options();
        assertEquals("http://10.0.0.5:9324", options.endpoint());
        assertEquals("http://10.0.0.5:9324", options.settings().queueBaseUrl());
        assertEquals(0, options.port());
        assertEquals(5, options.settings().pollWaitSeconds());
        assertEquals(8, options.settings().defaultMaxConcurrency());
        assertEquals(Duration.ofSeconds(3), options.settings().refreshInterval());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = BridgeOptions.parse(new String[] {"--port", "x", "--poll-wait-seconds", "21", "--colour", "red"})
                .problems();
        assertTrue(problems.contains("--endpoint is required"), problems.toString());
        assertTrue(problems.contains("--port must be a whole number; got x"), problems.toString());
        assertTrue(problems.contains("unknown flag --colour"), problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("pollWaitSeconds must be 1..20")), problems.toString());
    }

    @Test
    void helpIsRecognised() {
        assertTrue(BridgeOptions.parse(new String[] {"--help"}).help());
    }
}
