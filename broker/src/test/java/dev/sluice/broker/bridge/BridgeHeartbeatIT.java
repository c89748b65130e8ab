package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge says it is alive (a catalog write: a replicated, fsynced log entry) only while it runs a mapping with a
 * MaximumConcurrency to split with other bridges, and then every third of the time-to-live, not every refresh: an idle
 * server appends nothing to its catalog (issue 17, "idle costs nothing").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeHeartbeatIT {
    @TempDir
    Path data;

    @Test
    void onlyABridgeSplittingAMaximumConcurrencyWritesHeartbeatsAndAnIdleOneWritesNothing() throws Exception {
        try (BridgeTestServer sluice = BridgeTestServer.start(data); FunctionServer function = new FunctionServer()) {
            sluice.createQueue("uncapped", Map.of());
            String uncapped = sluice.mapHttpFunction("uncapped-fn", function.url(), 3, "\"EventSourceArn\":\""
                    + sluice.queueArn("uncapped") + "\",\"BatchSize\":1");
            await(() -> sluice.server.bridge().pollers(uncapped) >= 1, Duration.ofSeconds(10), "the uncapped mapping polling");
            // The test settings refresh every 200 ms: ten passes, each of which wrote a heartbeat before.
            assertCatalogQuietFor(sluice, Duration.ofSeconds(2));
            assertEquals(0, sluice.liveBridges(), "no bridge splits a MaximumConcurrency");

            sluice.createQueue("capped", Map.of());
            String capped = sluice.mapHttpFunction("capped-fn", function.url(), 3, "\"EventSourceArn\":\""
                    + sluice.queueArn("capped") + "\",\"BatchSize\":1,\"ScalingConfig\":{\"MaximumConcurrency\":2}");
            await(() -> sluice.liveBridges() == 1, Duration.ofSeconds(10), "the bridge to say it is alive");
            await(() -> sluice.server.bridge().pollers(capped) >= 1, Duration.ofSeconds(10), "the capped mapping polling");
            long before = catalogApplied(sluice);
            Thread.sleep(6_500);
            long written = catalogApplied(sluice) - before;
            // Time-to-live 10 s (at least), renewed every third of it: two renewals in 6.5 s, seen as up to 4 applied
            // catalog entries; before, a renewal every 200 ms refresh: 32 or more.
            assertEquals(true, written <= 4, written + " catalog entries in 6.5 s");

            assertEquals(202, sluice.rest.delete("/v1/event-source-mappings/" + capped).statusCode());
            await(() -> sluice.liveBridges() == 0, Duration.ofSeconds(10), "the bridge to forget itself");
            // Longer than the 3.3 s renewal: a heartbeat still written would show.
            assertCatalogQuietFor(sluice, Duration.ofSeconds(4));
        }
    }

    private static void assertCatalogQuietFor(BridgeTestServer sluice, Duration quiet) throws Exception {
        // Let the one-off writes apply first (a create's, the last heartbeat's delete, the cluster's first record of its
        // feature level): the catalog unchanged for a second, within ten.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long settled = catalogApplied(sluice);
        do {
            Thread.sleep(1_000);
            long now = catalogApplied(sluice);
            if (now == settled) {
                break;
            }
            settled = now;
        } while (System.nanoTime() < deadline);
        long before = catalogApplied(sluice);
        Thread.sleep(quiet.toMillis());
        assertEquals(before, catalogApplied(sluice), "catalog entries appended while nothing changed");
    }

    /** The catalog's applied index as /metrics shows it. */
    private static long catalogApplied(BridgeTestServer sluice) throws Exception {
        for (String line : sluice.rest.get("/metrics").body().split("\n")) {
            if (line.startsWith("sluice_raft_applied_index{group=\"catalog\"}")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no catalog applied index in /metrics");
    }
}
