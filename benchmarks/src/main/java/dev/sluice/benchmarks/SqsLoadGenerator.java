package dev.sluice.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * End-to-end SQS load generator: P producers send batches, C consumers receive and delete them,
 * through the AWS SDK for Java v2 async client, against any SQS-compatible endpoint.
 *
 * <p>A run is warm-up, then the measured window, then a bounded drain. It prints one JSON line
 * (for scripts) and one line for people. Retries are off, so every failure shows up in
 * {@code errors} instead of being hidden in latency.
 *
 * <p>This is the composition root of the load generator: the only place that builds the object graph.
 */
public final class SqsLoadGenerator {

    /** Messages per SendMessageBatch and the most one ReceiveMessage returns: the SQS maximum. */
    static final int BATCH_SIZE = 10;
    /** Connections beyond one per worker, for queue creation and deletion. */
    private static final int SPARE_CONNECTIONS = 2;
    /** Slack on top of the long-poll wait before the SDK gives up on a call. */
    private static final Duration CALL_TIMEOUT_SLACK = Duration.ofSeconds(10);
    private static final Duration QUEUE_ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Thread names listed in the server's CPU breakdown, largest first. */
    private static final int TOP_SERVER_THREAD_NAMES = 10;
    /** The one thread dump that names the server's threads, after the window; a JVM starting on a busy machine is slow. */
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    private final LoadOptions options;

    SqsLoadGenerator(LoadOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        // Before the first logger exists: the SDK and Netty are chatty at INFO.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SqsLoadGenerator: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            LoadReport report = new SqsLoadGenerator(options).run();
            System.out.println(report.toJson());
            System.out.println(report.toHumanLine());
            System.exit(0);
        } catch (Exception e) {
            System.err.println("SqsLoadGenerator failed: " + describe(e));
            e.printStackTrace();
            System.exit(1);
        }
    }

    LoadReport run() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        ProcessCpuClock serverCpu = options.serverPid().isPresent()
                ? ProcessCpuClock.forPid(options.serverPid().getAsLong())
                : null;
        ProcessCpuClock clientCpu = ProcessCpuClock.forPid(ProcessHandle.current().pid());
        MachineCpuClock machineCpu = MachineCpuClock.system();
        String runTag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-retry-timer");
            thread.setDaemon(true);
            return thread;
        });
        try (SqsAsyncClient sqs = buildClient()) {
            List<String> queueUrls = createQueues(sqs);
            LoadState state = new LoadState();
            List<ProducerWorker> producers = new ArrayList<>();
            List<ConsumerWorker> consumers = new ArrayList<>();
            FifoGroups groups = options.fifo() ? new FifoGroups(options.groups()) : null;
            for (int i = 0; i < options.consumers(); i++) {
                consumers.add(new ConsumerWorker(sqs, queueUrls.get(i % queueUrls.size()), state, retryTimer, runTag, options.waitSeconds()));
            }
            for (int i = 0; i < options.producers(); i++) {
                producers.add(new ProducerWorker(sqs, queueUrls.get(i % queueUrls.size()), state, retryTimer, runTag, i, options.bodyBytes(), groups,
                        options.batchIntervalNanos()));
            }
            consumers.forEach(ConsumerWorker::start);
            producers.forEach(ProducerWorker::start);

            Thread.sleep(options.warmup().toMillis());
            long serverCpuBefore = serverCpu == null ? 0 : serverCpu.cpuMillis();
            ThreadCpuSnapshot serverThreadsBefore = serverThreads();
            long clientCpuBefore = clientCpu.cpuMillis();
            long machineCpuBefore = machineCpu.busyMillis();
            long windowStart = System.nanoTime();
            state.enter(LoadPhase.MEASURE);
            Thread.sleep(options.measured().toMillis());
            state.enter(LoadPhase.DRAIN);
            long windowNanos = System.nanoTime() - windowStart;
            ThreadCpuSnapshot serverThreadsAfter = serverThreads();
            OptionalLong serverCpuMillis = serverCpu == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(serverCpu.cpuMillis() - serverCpuBefore);
            long clientCpuMillis = clientCpu.cpuMillis() - clientCpuBefore;
            long machineBusyMillis = machineCpu.busyMillis() - machineCpuBefore;

            drain(state, producers, consumers);
            if (!options.keepQueue()) {
                for (String queueUrl : queueUrls) {
                    sqs.deleteQueue(b -> b.queueUrl(queueUrl)).get(QUEUE_ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            Optional<ThreadCpuSnapshot.ThreadUse> serverThreads = serverThreadsAfter == null ? Optional.empty()
                    : Optional.of(serverThreadsAfter.renamed(JavaThreadNames.of(options.serverPid().getAsLong(), JCMD_TIMEOUT))
                            .usedSince(serverThreadsBefore, windowNanos / 1_000_000,
                            ProcessCpuClock.clockTicksPerSecond(), TOP_SERVER_THREAD_NAMES));
            return new LoadReport(options, windowNanos / 1e9,
                    state.sentInWindow(), state.deletedInWindow(),
                    state.receivesInWindow(), state.receivedInWindow(), state.latency(), state.errors(),
                    state.sentTotal(), state.deletedTotal(), state.foreignMessages(),
                    serverCpuMillis, serverThreads, clientCpuMillis, machineBusyMillis, Runtime.getRuntime().availableProcessors(),
                    state.firstError());
        } finally {
            retryTimer.shutdownNow();
        }
    }

    /** The server's threads now, or null without a server PID. */
    private ThreadCpuSnapshot serverThreads() throws IOException {
        return options.serverPid().isPresent() ? ThreadCpuSnapshot.of(options.serverPid().getAsLong()) : null;
    }

    /**
     * Lets producers finish their last batch, then consumers empty the queue within the drain
     * limit, then stops everyone. Each wait is bounded; a worker that overruns is abandoned and
     * its request cancelled when the client closes.
     */
    private void drain(LoadState state, List<ProducerWorker> producers, List<ConsumerWorker> consumers)
            throws InterruptedException {
        awaitAll(producers.stream().map(ProducerWorker::finished).toList(), callTimeout());
        state.markProducersStopped();
        awaitAll(consumers.stream().map(ConsumerWorker::finished).toList(), options.drainLimit());
        state.enter(LoadPhase.STOPPED);
        awaitAll(consumers.stream().map(ConsumerWorker::finished).toList(), callTimeout());
    }

    private static void awaitAll(List<CompletableFuture<Void>> workers, Duration limit) throws InterruptedException {
        try {
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Bounded wait: the report counts what completed; stragglers are cut off by close().
        }
    }

    /**
     * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} when set (a server with access keys verifies
     * them), else dummy ones (a server without keys takes any signature).
     */
    private static AwsBasicCredentials credentials() {
        return dev.sluice.clientsdk.auth.AwsCredentials.fromEnvironment(System.getenv())
                .map(keys -> AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()))
                .orElse(AwsBasicCredentials.create("sluice-bench", "sluice-bench"));
    }

    private SqsAsyncClient buildClient() {
        int connections = options.producers() + options.consumers() + SPARE_CONNECTIONS;
        return SqsAsyncClient.builder()
                .endpointOverride(options.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(connections)
                        .maxPendingConnectionAcquires(connections))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(callTimeout()))
                .build();
    }

    private Duration callTimeout() {
        return Duration.ofSeconds(options.waitSeconds()).plus(CALL_TIMEOUT_SLACK);
    }

    /** Creates every queue, one at a time (CreateQueue is rare and this keeps the server's log readable). */
    private List<String> createQueues(SqsAsyncClient sqs) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, String> attributes = new TreeMap<>(options.queueAttributes());
        if (options.fifo()) {
            attributes.put(QueueAttributeName.FIFO_QUEUE.toString(), "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION.toString(), "false");
        }
        List<String> urls = new ArrayList<>(options.queues());
        for (String name : options.queueNames()) {
            urls.add(sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes))
                    .get(QUEUE_ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .queueUrl());
        }
        return urls;
    }

    /** A one-line description of a failure, unwrapping the future's wrapper and naming the SQS error code. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + "): "
                    + aws.awsErrorDetails().errorMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
