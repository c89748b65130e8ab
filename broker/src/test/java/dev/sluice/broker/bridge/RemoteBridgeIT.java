package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.faasbridge.api.http.RestDefinitionStore;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.BridgeOptions;
import dev.sluice.faasbridge.StandaloneBridge;
import dev.sluice.faasbridge.service.FunctionBridge;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone bridge (its own process in production, see BridgeMainProcessIT) that reads functions and
 * mappings from the server's REST API and reaches the queues with client-sdk's HTTP QueueClient.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteBridgeIT {
    @TempDir
    Path data;

    @Test
    void aBridgeReadingMappingsOverRestPollsThemAndFollowsTheirChanges() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (BridgeTestServer sluice = BridgeTestServer.start(data); FunctionServer function = new FunctionServer()) {
            String endpoint = "http://127.0.0.1:" + sluice.server.httpPort();
            RestDefinitionStore store = new RestDefinitionStore(WebClient.create(vertx), endpoint);
            String queue = sluice.createQueue("remote", Map.of());
            function.respond(event -> Reply.okAfter(5));
            String uuid = sluice.mapHttpFunction("remote-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("remote")
                    + "\",\"BatchSize\":4,\"ScalingConfig\":{\"MaximumConcurrency\":3},\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"],"
                    + "\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"{\\\"body\\\":[{\\\"prefix\\\":\\\"r\\\"}]}\"}]}");

            List<FunctionDefinition> functions = store.functions().get(5, TimeUnit.SECONDS);
            assertEquals(sluice.server.bridge().api().getFunction("remote-fn").get(), functions.get(0), "functions read back intact");
            EventSourceMapping stored = sluice.server.bridge().api().getMapping(uuid).get();
            assertEquals(List.of(stored), store.mappings().get(5, TimeUnit.SECONDS), "mappings read back intact");

            BridgeOptions options = BridgeOptions.parse(new String[] {"--endpoint", endpoint, "--port", "0",
                    "--poll-wait-seconds", "1", "--refresh-seconds", "1"}).options();
            try (StandaloneBridge standalone = StandaloneBridge.start(options,
                    dev.sluice.clientsdk.http.HttpQueueClient.builder().endpoint(java.net.URI.create(endpoint)).build())) {
                FunctionBridge remote = standalone.bridge();
                await(() -> remote.pollers(uuid) >= 1, Duration.ofSeconds(10), "the remote bridge polling the mapping");
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("r" + n));
                }
                sluice.awaitEmpty(queue);
                assertEquals(40, BridgeTestServer.counts(function.bodies()).size());
                String metrics = new dev.sluice.broker.HttpProbe(standalone.port()).get("/metrics").body();
                assertTrue(metrics.contains("sluice_bridge_invocations_total{function=\"remote-fn\",queue=\"remote\"}"),
                        "the standalone bridge invoked batches and exports its meters: " + metrics);
                dev.sluice.broker.ops.PrometheusExposition.assertHelpOnEveryFamily(metrics);
                dev.sluice.broker.ops.PrometheusExposition.promtoolReport(metrics)
                        .ifPresent(report -> assertEquals("", report, "promtool check metrics on the standalone bridge"));
                assertEquals(200, new dev.sluice.broker.HttpProbe(standalone.port()).get("/health").statusCode());

                assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"Enabled\":false}").statusCode());
                await(() -> remote.pollers(uuid) == 0, Duration.ofSeconds(10), "the remote bridge to stop the disabled mapping");
                assertTrue(remote.api().deleteMapping(uuid).handle((ok, error) -> error != null).get(),
                        "a remote bridge cannot change the server's mappings");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
