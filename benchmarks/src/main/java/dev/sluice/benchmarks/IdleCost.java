package dev.sluice.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * What an idle server costs (issue 17, target 4): creates {@code --queues} queues, keeps {@code --consumers} long polls
 * (20 s, the SQS maximum) waiting on them, round robin, optionally {@code --topics} topics each with an sqs
 * subscription (their fanout workers poll as well), and after a settling pause measures over {@code --seconds} the
 * server process's CPU (/proc/PID/stat), the bytes it wrote to storage (/proc/PID/io write_bytes, what reached the
 * block layer) and the Raft entries its groups applied (its /metrics). Prints one line.
 *
 * <pre>
 * java -cp benchmarks.jar dev.sluice.benchmarks.IdleCost --endpoint http://127.0.0.1:9324 --server-pid PID \
 *     [--queues 1000] [--consumers 1000] [--topics 0] [--seconds 60] [--settle-seconds 25]
 * </pre>
 */
public final class IdleCost {
    private static final int WAIT_SECONDS = 20;

    private final URI endpoint;
    private final long serverPid;
    private final int queues;
    private final int consumers;
    private final int topics;
    private final Duration window;
    private final Duration settle;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong emptyReceives = new AtomicLong();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private IdleCost(URI endpoint, long serverPid, int queues, int consumers, int topics, Duration window, Duration settle) {
        this.endpoint = endpoint;
        this.serverPid = serverPid;
        this.queues = queues;
        this.consumers = consumers;
        this.topics = topics;
        this.window = window;
        this.settle = settle;
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:9324");
        long pid = -1;
        int queues = 1000;
        int consumers = 1000;
        int topics = 0;
        int seconds = 60;
        int settleSeconds = 25;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(value);
                case "--server-pid" -> pid = Long.parseLong(value);
                case "--queues" -> queues = Integer.parseInt(value);
                case "--consumers" -> consumers = Integer.parseInt(value);
                case "--topics" -> topics = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--settle-seconds" -> settleSeconds = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pid < 0 || args.length % 2 != 0) {
            throw new IllegalArgumentException("usage: IdleCost --endpoint URL --server-pid PID "
                    + "[--queues N] [--consumers N] [--seconds S] [--settle-seconds S]");
        }
        System.out.println(new IdleCost(endpoint, pid, queues, consumers, topics, Duration.ofSeconds(seconds),
                Duration.ofSeconds(settleSeconds)).run());
    }

    private String run() throws Exception {
        try (SqsAsyncClient sqs = client()) {
            List<String> urls = new ArrayList<>(queues);
            for (int i = 0; i < queues; i++) {
                urls.add(sqs.createQueue(b -> b.queueName("idle-" + urlIndex(urls.size()))).join().queueUrl());
            }
            // Topics each with an sqs subscription to one of the queues: their fanout workers poll too.
            var topicClient = new dev.sluice.clientsdk.TopicClient(endpoint, "us-east-1",
                    dev.sluice.clientsdk.auth.AwsCredentials.of("sluice-bench", "sluice-bench"),
                    java.net.http.HttpClient.newHttpClient(), java.time.InstantSource.system());
            for (int i = 0; i < topics; i++) {
                String topic = topicClient.createTopic("idle-topic-" + urlIndex(i), java.util.Map.of()).join();
                topicClient.subscribe(topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:idle-" + urlIndex(i % queues),
                        java.util.Map.of()).join();
            }
            for (int i = 0; i < consumers; i++) {
                poll(sqs, urls.get(i % urls.size()));
            }
            // Every poll is waiting and the creates' entries are flushed before the window opens.
            Thread.sleep(settle.toMillis());
            ProcessCpuClock cpu = ProcessCpuClock.forPid(serverPid);
            long cpuBefore = cpu.cpuMillis();
            long writtenBefore = writeBytes();
            long entriesBefore = appliedEntries();
            long emptyBefore = emptyReceives.get();
            Thread.sleep(window.toMillis());
            long cpuMillis = cpu.cpuMillis() - cpuBefore;
            long written = writeBytes() - writtenBefore;
            long entries = appliedEntries() - entriesBefore;
            long empty = emptyReceives.get() - emptyBefore;
            stopping.set(true);
            double minutes = window.toMillis() / 60_000.0;
            return String.format("idle: queues=%d consumers=%d topics=%d window=%ds server_cpu_ms_per_min=%.0f "
                            + "disk_write_kib_per_min=%.1f raft_entries_per_min=%.1f empty_receives_per_min=%.0f "
                            + "messages_received=%d failures=%d",
                    queues, consumers, topics, window.toSeconds(), cpuMillis / minutes, written / 1024.0 / minutes,
                    entries / minutes, empty / minutes, messagesReceived.get(), failures.get());
        }
    }

    private static String urlIndex(int index) {
        return String.format("%04d", index);
    }

    /** One consumer: long polls {@code url} again as soon as a poll ends, until the measurement is over. */
    private void poll(SqsAsyncClient sqs, String url) {
        if (stopping.get()) {
            return;
        }
        CompletableFuture<?> receive = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(WAIT_SECONDS)
                .maxNumberOfMessages(10));
        receive.whenComplete((response, failure) -> {
            if (failure != null) {
                failures.incrementAndGet();
            } else if (((software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse) response).messages().isEmpty()) {
                emptyReceives.incrementAndGet();
            } else {
                messagesReceived.addAndGet(((software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse) response)
                        .messages().size());
            }
            poll(sqs, url);
        });
    }

    private SqsAsyncClient client() {
        int connections = consumers + 16;
        return SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("sluice-bench", "sluice-bench")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(connections)
                        .maxPendingConnectionAcquires(connections * 2)
                        .readTimeout(Duration.ofSeconds(WAIT_SECONDS + 10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(WAIT_SECONDS + 15)))
                .build();
    }

    /** Bytes the server process caused to be written to storage so far (/proc/PID/io; needs the same user or root). */
    private long writeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "io"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new IOException("no write_bytes in /proc/" + serverPid + "/io");
    }

    /** Raft entries applied so far, summed over the server's groups (its /metrics gauge sluice_raft_applied_index). */
    private long appliedEntries() throws IOException, InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        long sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("sluice_raft_applied_index{")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
