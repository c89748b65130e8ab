package dev.sluice.benchmarks;

import dev.sluice.clientsdk.TopicClient;
import dev.sluice.clientsdk.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * SNS load: publishers keep {@code --in-flight} Publish calls open (the client-sdk's TopicClient, SigV4,
 * Query), a topic fans out to {@code --fanout} subscribers — SQS queues drained by one receiver thread
 * each, or webhooks served by an embedded Vert.x server (start Sluice with
 * {@code --webhook-allowed-networks 127.0.0.1/32}). Against a server with access keys, set
 * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; every request is signed with them. Reports
 * publish throughput and latency and publish→delivery latency, as one JSON line; with {@code --server-pid} also the server's CPU time over the
 * measured window, per 1,000 publishes and per 1,000 delivered copies. The composition root of this generator.
 *
 * <pre>java -cp benchmarks.jar dev.sluice.benchmarks.SnsLoadGenerator --endpoint http://127.0.0.1:9324
 *     --fanout 1 --subscriber queue --in-flight 8 --seconds 20 --warmup-seconds 5 --body-bytes 200 [--server-pid PID]</pre>
 */
public final class SnsLoadGenerator {
    private final Map<String, String> options;
    private final Histogram publishMicros = new Histogram(60_000_000L, 3);
    private final Histogram deliveryMicros = new Histogram(600_000_000L, 3);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean running = true;

    private SnsLoadGenerator(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:9324", "fanout", "1",
                "subscriber", "queue", "in-flight", "8", "seconds", "20", "warmup-seconds", "5", "body-bytes", "200"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new SnsLoadGenerator(options).run();
        System.exit(0);
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        URI endpoint = URI.create(options.get("endpoint"));
        HttpClient http = HttpClient.newHttpClient();
        // A server with access keys needs real ones (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); any do without.
        AwsCredentials credentials = AwsCredentials.fromEnvironment(System.getenv())
                .orElse(AwsCredentials.of("test", "testtest"));
        TopicClient topics = new TopicClient(endpoint, "us-east-1", credentials, http, InstantSource.system());
        String run = Long.toHexString(System.nanoTime());
        String topic = topics.createTopic("bench-" + run, Map.of()).join();
        int fanout = option("fanout");
        boolean webhooks = options.get("subscriber").equals("webhook");
        List<Thread> receivers = new ArrayList<>();
        Vertx vertx = null;
        SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey()))).build();
        if (webhooks) {
            vertx = Vertx.vertx();
            HttpServer server = webhookServer(vertx, http);
            for (int i = 0; i < fanout; i++) {
                topics.subscribe(topic, "http", "http://127.0.0.1:" + server.actualPort() + "/hook/" + i,
                        Map.of("RawMessageDelivery", "true")).join();
            }
        } else {
            for (int i = 0; i < fanout; i++) {
                String name = "bench-" + run + "-" + i;
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                topics.subscribe(topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:" + name,
                        Map.of("RawMessageDelivery", "true")).join();
                Thread receiver = new Thread(() -> drain(sqs, url), "receiver-" + i);
                receiver.start();
                receivers.add(receiver);
            }
        }
        Thread.sleep(3000); // workers pick the new topic and subscriptions up within the refresh interval
        String padding = "x".repeat(Math.max(0, option("body-bytes") - 24));
        Semaphore inFlight = new Semaphore(option("in-flight"));
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(option("warmup-seconds"));
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(option("seconds"));
        ProcessCpuClock serverCpu = options.containsKey("server-pid")
                ? ProcessCpuClock.forPid(Long.parseLong(options.get("server-pid"))) : null;
        long serverCpuBefore = 0;
        long entriesBefore = -1;
        while (System.nanoTime() < end) {
            if (!measuring && System.nanoTime() >= warmupEnd) {
                serverCpuBefore = serverCpu == null ? 0 : serverCpu.cpuMillis();
                entriesBefore = dataGroupEntries(http, endpoint);
                measuring = true;
            }
            inFlight.acquire();
            long started = System.nanoTime();
            boolean counted = measuring;
            topics.publish(topic, "t=" + started + ";" + padding, null, Map.of()).whenComplete((id, failure) -> {
                inFlight.release();
                if (failure != null) {
                    errors.incrementAndGet();
                } else if (counted) {
                    published.incrementAndGet();
                    record(publishMicros, (System.nanoTime() - started) / 1000);
                }
            });
        }
        measuring = false;
        long serverCpuMillis = serverCpu == null ? -1 : serverCpu.cpuMillis() - serverCpuBefore;
        long entries = entriesBefore < 0 ? -1 : dataGroupEntries(http, endpoint) - entriesBefore;
        Thread.sleep(3000);
        running = false;
        for (Thread receiver : receivers) {
            receiver.join(5000);
        }
        double seconds = option("seconds");
        System.out.printf("{\"benchmark\":\"sns-publish\",\"subscriber\":\"%s\",\"fanout\":%d,\"inFlight\":%d,"
                        + "\"bodyBytes\":%d,\"measuredSeconds\":%.0f,\"publishedPerSec\":%.1f,\"publishP50Ms\":%.2f,"
                        + "\"publishP99Ms\":%.2f,\"deliveredPerSec\":%.1f,\"deliveryP50Ms\":%.2f,\"deliveryP99Ms\":%.2f,"
                        + "\"deliverySamples\":%d,\"errors\":%d,\"serverCpuMs\":%d,\"serverCpuMsPer1kPublished\":%.1f,"
                        + "\"serverCpuMsPer1kCopies\":%.1f,\"dataEntries\":%d,\"dataEntriesPerPublished\":%.2f}%n",
                options.get("subscriber"), fanout, option("in-flight"),
                option("body-bytes"), seconds, published.get() / seconds, percentile(publishMicros, 50),
                percentile(publishMicros, 99), delivered.get() / seconds, percentile(deliveryMicros, 50),
                percentile(deliveryMicros, 99), deliveryMicros.getTotalCount(), errors.get(), serverCpuMillis,
                perThousand(serverCpuMillis, published.get()), perThousand(serverCpuMillis, delivered.get()), entries,
                entries < 0 || published.get() == 0 ? -1.0 : (double) entries / published.get());
        topics.deleteTopic(topic).join();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        sqs.close();
    }

    private HttpServer webhookServer(Vertx vertx, HttpClient http) throws Exception {
        return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String text = body.toString();
            if ("SubscriptionConfirmation".equals(request.getHeader("x-amz-sns-message-type"))) {
                String url = new io.vertx.core.json.JsonObject(text).getString("SubscribeURL");
                http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
            } else {
                observe(text);
            }
            request.response().end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void drain(SqsClient sqs, String url) {
        while (running) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (messages.isEmpty()) {
                continue;
            }
            messages.forEach(message -> observe(message.body()));
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                        .receiptHandle(messages.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
        }
    }

    private void observe(String body) {
        if (!measuring || !body.startsWith("t=")) {
            return;
        }
        long sent = Long.parseLong(body.substring(2, body.indexOf(';')));
        delivered.incrementAndGet();
        record(deliveryMicros, (System.nanoTime() - sent) / 1000);
    }

    /**
     * The Raft log entries the server's data groups hold so far (their {@code sluice_raft_applied_index} gauges of
     * {@code /metrics}, summed; the catalog group left out), or -1 when unreadable. The difference over the measured
     * seconds counts every entry of the run: publishes, fanout, and the subscribers' own receives and deletes. A server
     * with auth on is read with the scrape token in {@code SLUICE_METRICS_TOKEN}.
     */
    private static long dataGroupEntries(HttpClient http, URI endpoint) {
        try {
            HttpRequest.Builder scrape = HttpRequest.newBuilder(endpoint.resolve("/metrics"));
            String token = System.getenv("SLUICE_METRICS_TOKEN");
            if (token != null && !token.isBlank()) {
                scrape.header("Authorization", "Bearer " + token.trim());
            }
            String metrics = http.send(scrape.build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher gauge = java.util.regex.Pattern.compile(
                    "(?m)^sluice_raft_applied_index\\{group=\"data-[0-9]+\"[^}]*} ([0-9.E+-]+)$").matcher(metrics);
            long sum = 0;
            boolean found = false;
            while (gauge.find()) {
                sum += (long) Double.parseDouble(gauge.group(1));
                found = true;
            }
            return found ? sum : -1;
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** CPU milliseconds per 1,000 events, or -1 when not sampled or nothing happened. */
    private static double perThousand(long cpuMillis, long events) {
        return cpuMillis < 0 || events == 0 ? -1 : cpuMillis * 1000.0 / events;
    }

    private static void record(Histogram histogram, long micros) {
        synchronized (histogram) {
            histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
        }
    }

    private static double percentile(Histogram histogram, double percentile) {
        synchronized (histogram) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
