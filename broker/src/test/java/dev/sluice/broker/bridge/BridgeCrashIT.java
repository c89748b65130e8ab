package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL of the server (a child JVM running the real main) while its bridge has batches in flight:
 * after a restart on the same files the mapping resumes from the catalog and every message is invoked
 * successfully at least once; the queue ends empty.
 */
@Tag("fault")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BridgeCrashIT {

    @Test
    void killingTheServerMidBatchLosesNoMessage() throws Exception {
        try (SluiceProcesses sluice = new SluiceProcesses(1); FunctionServer function = new FunctionServer()) {
            sluice.startAll();
            int port = sluice.httpPorts[0];
            HttpProbe rest = new HttpProbe(port);
            Set<String> sent = IntStream.range(0, 60).mapToObj(i -> "k" + i).collect(Collectors.toSet());
            function.respond(event -> Reply.okAfter(300));
            String url;
            try (SqsClient sqs = SqsTestServer.client(port)) {
                url = sqs.createQueue(b -> b.queueName("crash-bridge").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3")))
                        .queueUrl();
                sent.forEach(body -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)));
            }
            assertEquals(201, rest.post("/v1/functions", "{\"FunctionName\":\"crash-fn\",\"InvokeUrl\":\"" + function.url()
                    + "\",\"Timeout\":3}").statusCode());
            var mapping = rest.post("/v1/event-source-mappings", "{\"FunctionName\":\"crash-fn\",\"EventSourceArn\":"
                    + "\"arn:aws:sqs:us-east-1:000000000000:crash-bridge\",\"BatchSize\":5,\"ScalingConfig\":{\"MaximumConcurrency\":3}}");
            assertEquals(202, mapping.statusCode(), mapping.body());

            await(() -> function.bodies().size() >= 15, Duration.ofSeconds(30), "some batches invoked");
            sluice.kill(0);
            int beforeCrash = new HashSet<>(function.bodies()).size();
            assertTrue(beforeCrash < sent.size(), "the kill came mid-stream: " + beforeCrash);

            sluice.start(0);
            sluice.awaitHealthy(0);
            await(() -> new HashSet<>(function.bodies()).containsAll(sent), Duration.ofSeconds(90),
                    "every message invoked after the restart" + sluice.logTails());
            try (SqsClient sqs = SqsTestServer.client(port)) {
                await(() -> {
                    Map<String, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All"))
                            .attributesAsStrings();
                    return "0".equals(counts.get("ApproximateNumberOfMessages"))
                            && "0".equals(counts.get("ApproximateNumberOfMessagesNotVisible"));
                }, Duration.ofSeconds(30), "the queue to be empty");
            }
            System.out.printf("bridge crash: sent=%d invokedBeforeKill=%d invocationsOfRecords=%d%n", sent.size(), beforeCrash,
                    function.bodies().size());
        }
    }
}
