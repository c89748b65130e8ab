package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.faasbridge.BridgeMain;
import dev.sluice.raftstore.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone bridge's main in a child JVM, {@code --endpoint} pointing at a running server: it takes
 * its share of a mapping shared with the server's own bridge (MaximumConcurrency 2: one poller each),
 * invokes through the HTTP QueueClient, and shows it in its own /metrics.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BridgeMainProcessIT {
    @TempDir
    Path data;
    @TempDir
    Path logs;

    @Test
    void theStandaloneMainServesItsShareOfAMappingOverHttp() throws Exception {
        try (BridgeTestServer sluice = BridgeTestServer.start(data); FunctionServer function = new FunctionServer()) {
            String queue = sluice.createQueue("standalone", Map.of());
            function.respond(event -> Reply.okAfter(30));
            String uuid = sluice.mapHttpFunction("standalone-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("standalone")
                    + "\",\"BatchSize\":2,\"ScalingConfig\":{\"MaximumConcurrency\":2}");
            int metricsPort = FreePorts.next();
            Path log = logs.resolve("bridge.log");
            Process bridge = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), BridgeMain.class.getName(),
                    "--endpoint", "http://127.0.0.1:" + sluice.server.httpPort(), "--port", String.valueOf(metricsPort),
                    "--poll-wait-seconds", "1", "--refresh-seconds", "1")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                HttpProbe probe = new HttpProbe(metricsPort);
                probe.awaitStatus("/health", 200, Duration.ofSeconds(30));
                await(() -> sluice.server.bridge().pollers(uuid) == 1, Duration.ofSeconds(15),
                        "the server's bridge to cede half of MaximumConcurrency to the standalone one");
                // A bridge runs a capped mapping from its second pass after it began to heartbeat: wait for its poller.
                await(() -> standalonePollers(probe) >= 1, Duration.ofSeconds(15), "the standalone bridge's poller");
                BridgeScalingIT.sendMany(sluice, queue, "p", 60);
                sluice.awaitEmpty(queue);
                assertEquals(60, BridgeTestServer.counts(function.bodies()).size());
                String metrics = probe.get("/metrics").body();
                Matcher invocations = Pattern.compile("sluice_bridge_invocations_total\\{function=\"standalone-fn\",queue=\"standalone\"} ([0-9.]+)").matcher(metrics);
                assertEquals(true, invocations.find() && Double.parseDouble(invocations.group(1)) > 0,
                        "the standalone bridge invoked batches: " + metrics + "\n" + Files.readString(log));
            } finally {
                bridge.destroy();
                bridge.waitFor(15, TimeUnit.SECONDS);
                bridge.destroyForcibly();
            }
        }
    }

    /** The standalone bridge's pollers of the mapping, as its /metrics shows them; 0 while it shows none. */
    private static double standalonePollers(HttpProbe probe) {
        try {
            Matcher pollers = Pattern.compile("sluice_bridge_pollers\\{function=\"standalone-fn\",queue=\"standalone\"} ([0-9.]+)")
                    .matcher(probe.get("/metrics").body());
            return pollers.find() ? Double.parseDouble(pollers.group(1)) : 0;
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
