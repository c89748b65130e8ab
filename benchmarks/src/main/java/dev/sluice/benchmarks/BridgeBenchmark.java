package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.faasbridge.core.FunctionRequest;
import dev.sluice.faasbridge.core.MappingRequest;
import dev.sluice.faasbridge.service.BridgeSettings;
import dev.sluice.faasbridge.service.FunctionBridge;
import dev.sluice.raftstore.RaftStoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The function bridge end to end, one node in this JVM: messages/s through a no-op HTTP function (a
 * backlog drained by a mapping), and the latency from a send to the function's receipt while the mapping
 * is idle. Prints one JSON line per phase.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.BridgeBenchmark [messages] [batchSize] [maxConcurrency]</pre>
 */
public final class BridgeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";

    private BridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int maxConcurrency = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bridge-bench");
        Vertx vertx = Vertx.vertx();
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        AtomicLong records = new AtomicLong();
        HttpServer function = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            long now = System.nanoTime();
            try {
                for (JsonNode record : JSON.readTree(body.toString()).get("Records")) {
                    arrivals.putIfAbsent(record.get("body").asText(), now);
                    records.incrementAndGet();
                }
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
                return;
            }
            request.response().end("null");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", dev.sluice.raftstore.testing.FreePorts.next()).withDataDirectory(data)
                .withAllowTemporaryStorage(true);
        BridgeSettings settings = BridgeSettings.defaults("http://127.0.0.1:9324");
        try (SluiceServer server = SluiceServer.start(defaults.withHttp(defaults.http().withPort(0)).withRaft(raft), List.of(),
                InstantSource.system(), settings)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!server.node().health().ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            QueueClient queues = server.queueClient();
            FunctionBridge bridge = server.bridge();
            String url = queues.createQueue(new CreateQueueRequest("bench-bridge", Map.of(), Map.of())).get().queueUrl();
            preload(queues, url, messages);
            bridge.api().createFunction(new FunctionRequest("noop", "http://127.0.0.1:" + function.actualPort() + "/invoke", null, 30, null))
                    .get();
            long start = System.nanoTime();
            String uuid = bridge.api().createMapping(new MappingRequest("noop", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":bench-bridge",
                    batchSize, batchSize > 10 ? 1 : 0, maxConcurrency, null, null, true)).get().uuid();
            int mostPollers = 0;
            while (arrivals.size() < messages && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
                Thread.sleep(20);
                mostPollers = Math.max(mostPollers, bridge.pollers(uuid));
            }
            long firstArrival = arrivals.values().stream().mapToLong(Long::longValue).min().orElse(start);
            long lastArrival = arrivals.values().stream().mapToLong(Long::longValue).max().orElse(start);
            double seconds = (lastArrival - start) / 1e9;
            double steadySeconds = (lastArrival - firstArrival) / 1e9;
            System.out.printf("{\"benchmark\":\"bridge-throughput\",\"messages\":%d,\"batchSize\":%d,\"maxConcurrency\":%d,"
                            + "\"invoked\":%d,\"recordsDelivered\":%d,\"secondsFromMapping\":%.2f,\"msgsPerSec\":%.0f,"
                            + "\"msgsPerSecFirstToLast\":%.0f,\"mostPollers\":%d,\"queueLeft\":%s}%n",
                    messages, batchSize, maxConcurrency, arrivals.size(), records.get(), seconds, arrivals.size() / seconds,
                    arrivals.size() / steadySeconds, mostPollers, left(queues, url));
            idleLatency(queues, url, arrivals);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** One message at a time on an idle mapping: send → the function has it. */
    private static void idleLatency(QueueClient queues, String url, Map<String, Long> arrivals) throws Exception {
        Thread.sleep(3_000);
        Histogram micros = new Histogram(3);
        for (int i = 0; i < 50; i++) {
            String body = "idle-" + i;
            long sent = System.nanoTime();
            queues.sendMessage(new SendMessageRequest(url, body, null, null, null, null, null)).get();
            long deadline = sent + TimeUnit.SECONDS.toNanos(30);
            while (!arrivals.containsKey(body) && System.nanoTime() < deadline) {
                Thread.sleep(0, 200_000);
            }
            Long arrived = arrivals.get(body);
            if (arrived != null) {
                micros.recordValue(Math.max(1, (arrived - sent) / 1000));
            }
            Thread.sleep(200);
        }
        LatencySummary summary = LatencySummary.of(micros);
        System.out.printf("{\"benchmark\":\"bridge-idle-latency\",\"samples\":%d,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"maxMs\":%.2f}%n",
                summary.samples(), summary.p50Micros() / 1000.0, summary.p99Micros() / 1000.0, summary.maxMicros() / 1000.0);
    }

    private static void preload(QueueClient queues, String url, int messages) throws Exception {
        List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int from = 0; from < messages; from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(messages, from + 10); i++) {
                entries.add(new SendMessageBatchRequestEntry("e" + i, "m" + i, null, null, null, null, null));
            }
            inFlight.add(queues.sendMessageBatch(new SendMessageBatchRequest(url, entries)));
            if (inFlight.size() >= 64) {
                for (var future : inFlight) {
                    future.get(60, TimeUnit.SECONDS);
                }
                inFlight.clear();
            }
        }
        for (var future : inFlight) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    private static String left(QueueClient queues, String url) throws Exception {
        Thread.sleep(Duration.ofSeconds(1).toMillis());
        Map<String, String> attributes = queues.getQueueAttributes(new GetQueueAttributesRequest(url,
                List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))).get().attributes();
        return Integer.parseInt(attributes.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(attributes.get("ApproximateNumberOfMessagesNotVisible")) + "";
    }
}
