package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Producers and consumers, one thread each, that drive queues of a {@link SluiceProcesses} cluster through the AWS SDK
 * v2 with its default (standard) retry policy, as users run it, and record everything into a {@link QueueHistory}.
 *
 * <p>Each worker talks to one node's HTTP port; when a call fails even after the SDK's retries (its node was killed,
 * say) the worker counts the error and moves on to the next running node, as a client behind a load balancer would.
 * Producers send paced batches of {@value #BATCH} tracked bodies: new ids for a standard queue; for a FIFO queue, the next
 * messages of one group at a time (round the groups), with deduplication ids, sent again until answered so each
 * group's send order is its counter order. Consumers receive up to 10, record, and delete the batch, except every
 * {@value #ABANDON_EVERY}th receive (or as often as asked), whose messages they leave to come back after the visibility
 * timeout (so every run redelivers; with a redrive policy they dead-letter). Threads are daemons and stop within one long poll of being told to.
 */
final class Workload implements AutoCloseable {
    static final int BATCH = 5;
    static final int ABANDON_EVERY = 25;
    static final int VISIBILITY_SECONDS = 5;
    /**
     * Between a producer's batches unless {@link #pace} says otherwise: producers are paced (at most {@value #BATCH} messages per {@value} ms each) so
     * that the test's SDK clients leave the 2 shared cores to the servers; the point is faults, not throughput.
     */
    static final long PAUSE_BETWEEN_BATCHES_MILLIS = 100;
    private static final int WAIT_SECONDS = 1;

    private final QueueHistory history;
    private final SluiceProcesses cluster;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final List<TrackedQueue> consumed = new ArrayList<>();
    private final List<SendTimeline> timelines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long pauseMillis = PAUSE_BETWEEN_BATCHES_MILLIS;
    /** Calls that failed after the SDK's own retries, by exception class and operation: printed with the report. */
    private final Map<String, AtomicInteger> surfacedErrors = new ConcurrentHashMap<>();

    Workload(QueueHistory history, SluiceProcesses cluster) {
        this.history = history;
        this.cluster = cluster;
    }

    /**
     * Sets the pause between a producer's batches (default {@value #PAUSE_BETWEEN_BATCHES_MILLIS} ms): a scenario with
     * many queues paces each producer slower to keep the total load of the shared cores the same.
     */
    void pace(Duration pauseBetweenBatches) {
        pauseMillis = pauseBetweenBatches.toMillis();
    }

    /** Starts a producer for {@code queue} through node {@code node} (moving on to other nodes when it fails). */
    synchronized void produce(TrackedQueue queue, int node) {
        String producer = "p" + producers.size();
        producers.add(start(producer + "-" + queue.name(), () -> new Producer(queue, producer, node).run()));
    }

    /** Starts a consumer for {@code queue} through node {@code node}. */
    void consume(TrackedQueue queue, int node) {
        consume(queue, node, ABANDON_EVERY);
    }

    /**
     * Starts a consumer for {@code queue} through node {@code node} that leaves every {@code abandonEvery}th receive's
     * messages undeleted: with a small maxReceiveCount in the queue's redrive policy, those dead-letter.
     */
    synchronized void consume(TrackedQueue queue, int node, int abandonEvery) {
        if (!consumed.contains(queue)) {
            consumed.add(queue);
        }
        consumers.add(start("c" + consumers.size() + "-" + queue.name(), () -> new Consumer(queue, node, abandonEvery).run()));
    }

    /** Every producer's acknowledged sends in time and its current node, in start order. */
    List<SendTimeline> sendTimelines() {
        return List.copyOf(timelines);
    }

    Map<String, Integer> surfacedErrors() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        surfacedErrors.forEach((kind, count) -> copy.put(kind, count.get()));
        return copy;
    }

    /** Stops the producers (each finishes or abandons its current send), then waits for them. */
    void stopProducers() throws InterruptedException {
        producing.set(false);
        join(producers);
    }

    /**
     * Lets the consumers run until every consumed queue reads empty (nothing visible, in flight or delayed) and every
     * group's transfer outbox too, twice in a row, then stops them. Fails if that takes longer than {@code bound}. A
     * dead letter on its way to another group is in no queue: without the outboxes, the consumers were stopped while
     * one waited there, and it counted as lost (CrossGroupFaultsClusterIT (a): ten FIFO dead letters, every queue at 0).
     */
    void drain(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int emptyReadings = 0;
        int readings = 0;
        while (emptyReadings < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("queues not drained within " + bound + ": " + depths() + "; visible/in flight/delayed "
                        + depthAttributes() + "; surfaced errors " + surfacedErrors() + "; transfer outboxes "
                        + pendingTransfers() + cluster.logTails());
            }
            Thread.sleep(1_000);
            Map<String, Long> depths = depths();
            long inOutboxes = transfersPending();
            emptyReadings = depths.values().stream().allMatch(depth -> depth == 0) && inOutboxes == 0 ? emptyReadings + 1 : 0;
            if (++readings % 10 == 0) {
                // How fast a backlog falls tells a slow drain (resize the scenario) from a stuck one (a bug).
                System.out.printf("drain: %s, %d in transfer outboxes, after %d s%n", depths, inOutboxes, readings);
            }
        }
        consuming.set(false);
        join(consumers);
    }

    /**
     * The most transfers any running node's replicas hold in one group's outbox (-1 when a node's metrics are
     * unreadable): 0 once every outbox delivered everything on every replica read.
     */
    private long transfersPending() {
        long most = 0;
        for (List<String> lines : pendingTransfers().values()) {
            for (String line : lines) {
                if (line.startsWith("unreadable")) {
                    return -1;
                }
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (!Double.isNaN(value)) {
                    most = Math.max(most, (long) value);
                }
            }
        }
        return most;
    }

    /** Each running node's {@code sluice_queue_transfers_pending} lines (its replicas' cross-group outboxes). */
    private Map<String, List<String>> pendingTransfers() {
        Map<String, List<String>> outboxes = new java.util.TreeMap<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int node = 0; node < cluster.httpPorts.length; node++) {
            if (!cluster.running(node)) {
                continue;
            }
            try {
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + cluster.httpPorts[node] + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                outboxes.put("n" + (node + 1), metrics.lines().filter(line -> line.startsWith("sluice_queue_transfers_pending"))
                        .toList());
            } catch (java.io.IOException | InterruptedException | RuntimeException unreadable) {
                outboxes.put("n" + (node + 1), List.of("unreadable: " + unreadable));
            }
        }
        return outboxes;
    }

    /** Messages visible + in flight + delayed per consumed queue, read through a running node (-1 if unreadable). */
    Map<String, Long> depths() {
        Map<String, Long> depths = new java.util.TreeMap<>();
        depthAttributes().forEach((queue, attributes) -> depths.put(queue, attributes.isEmpty() ? -1L
                : attributes.values().stream().mapToLong(Long::parseLong).sum()));
        return depths;
    }

    /** Each consumed queue's visible, in-flight and delayed counts, read through a running node (empty if unreadable). */
    private Map<String, Map<String, String>> depthAttributes() {
        Map<String, Map<String, String>> depths = new java.util.TreeMap<>();
        try (SqsClient sqs = SqsTestServer.client(cluster.httpPorts[nextRunning(0)])) {
            for (TrackedQueue queue : consumed) {
                try {
                    depths.put(queue.name(), new java.util.TreeMap<>(sqs.getQueueAttributes(b -> b.queueUrl(queue.url())
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings()));
                } catch (RuntimeException unreadable) {
                    depths.put(queue.name(), Map.of());
                }
            }
        }
        return depths;
    }

    @Override
    public void close() throws InterruptedException {
        producing.set(false);
        consuming.set(false);
        join(producers);
        join(consumers);
    }

    private static Thread start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            // A call in flight may wait out the SDK's retries against a dead node (its socket timeout is 30 s).
            thread.join(TimeUnit.SECONDS.toMillis(90));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop");
            }
        }
    }

    private int nextRunning(int from) {
        for (int i = 0; i < cluster.httpPorts.length; i++) {
            int node = (from + i) % cluster.httpPorts.length;
            if (cluster.running(node)) {
                return node;
            }
        }
        throw new AssertionError("no node running");
    }

    /**
     * The next running node after {@code node}; while none runs (a power loss of every node), {@code node} itself after
     * a short pause, so that the worker tries again once the nodes are back rather than dying.
     */
    private int nextRunningOrSame(int node) {
        for (int i = 1; i <= cluster.httpPorts.length; i++) {
            int next = (node + i) % cluster.httpPorts.length;
            if (cluster.running(next)) {
                return next;
            }
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
        return node;
    }

    /** One worker's connection: a client of one node, replaced by a client of the next running node on failure. */
    private final class Connection {
        private final AttemptCounter attempts = new AttemptCounter();
        private final SendTimeline timeline;
        private int node;
        private SqsClient client;

        Connection(int node) {
            this(node, null);
        }

        /** A producer's connection, which keeps {@code timeline}'s node current (null for a consumer's). */
        Connection(int node, SendTimeline timeline) {
            this.node = node;
            this.timeline = timeline;
            this.client = SqsTestServer.clientWatchedBy(cluster.httpPorts[node], attempts);
        }

        SqsClient sqs() {
            return client;
        }

        void failed(String operation, RuntimeException failure) {
            String kind = failure instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode()
                    + " " + service.statusCode() : failure.getClass().getSimpleName();
            surfacedErrors.computeIfAbsent(operation + ": " + kind, key -> new AtomicInteger()).incrementAndGet();
            client.close();
            node = nextRunningOrSame(node);
            client = SqsTestServer.clientWatchedBy(cluster.httpPorts[node], attempts);
            if (timeline != null) {
                timeline.talksTo(node);
            }
        }

        void close() {
            client.close();
        }
    }

    private final class Producer {
        private final TrackedQueue queue;
        private final String producer;
        private final Connection connection;
        private final SendTimeline timeline;
        private final long[] nextCounter;
        private long nextId;

        Producer(TrackedQueue queue, String producer, int node) {
            this.queue = queue;
            this.producer = producer;
            this.timeline = new SendTimeline(node);
            timelines.add(timeline);
            this.connection = new Connection(node, timeline);
            this.nextCounter = new long[queue.messageGroups()];
        }

        void run() {
            try {
                for (int round = 0; producing.get(); round++) {
                    List<TrackedBody> batch = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        String id = producer + "-" + nextId++;
                        if (queue.fifo()) {
                            int group = round % queue.messageGroups();
                            // The producer's own groups: the checker orders a group by one producer's counters.
                            batch.add(TrackedBody.fifo(id, producer + "g" + group, nextCounter[group]++));
                        } else {
                            batch.add(TrackedBody.standard(id));
                        }
                    }
                    batch.forEach(body -> history.attempted(queue.name(), body));
                    sendUntilAnswered(batch);
                    pause();
                }
            } finally {
                connection.close();
            }
        }

        private void pause() {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                producing.set(false);
            }
        }

        /** A standard batch is sent once; a FIFO batch's unanswered entries again (same deduplication ids) until answered. */
        private void sendUntilAnswered(List<TrackedBody> batch) {
            List<TrackedBody> unanswered = batch;
            boolean again = false;
            do {
                unanswered = send(unanswered, again);
                again = true;
            } while (queue.fifo() && !unanswered.isEmpty() && producing.get());
        }

        /** Sends {@code bodies}; {@code again} when they were sent before without an answer. Answers the unanswered. */
        private List<TrackedBody> send(List<TrackedBody> bodies, boolean again) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                TrackedBody body = bodies.get(i);
                SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id(String.valueOf(i))
                        .messageBody(body.encode());
                if (body.group() != null) {
                    entry.messageGroupId(body.group()).messageDeduplicationId(body.id());
                }
                entries.add(entry.build());
            }
            List<TrackedBody> unanswered = new ArrayList<>(bodies);
            try {
                var answer = connection.sqs().sendMessageBatch(b -> b.queueUrl(queue.url()).entries(entries));
                boolean retried = again || connection.attempts.lastCall() > 1;
                if (!answer.successful().isEmpty()) {
                    timeline.acknowledged(System.nanoTime());
                }
                answer.successful().forEach(ok -> {
                    TrackedBody body = bodies.get(Integer.parseInt(ok.id()));
                    history.acknowledged(queue.name(), body, retried);
                    unanswered.remove(body);
                });
            } catch (RuntimeException failure) {
                connection.failed("SendMessageBatch", failure);
            }
            return unanswered;
        }
    }

    private final class Consumer {
        private final TrackedQueue queue;
        private final Connection connection;
        private final int abandonEvery;

        Consumer(TrackedQueue queue, int node, int abandonEvery) {
            this.queue = queue;
            this.connection = new Connection(node);
            this.abandonEvery = abandonEvery;
        }

        void run() {
            try {
                for (int receives = 1; consuming.get(); receives++) {
                    long invokedAt = history.tick();
                    List<Message> messages = receive(invokedAt);
                    if (receives % abandonEvery != 0) {
                        delete(messages, invokedAt);
                    }
                }
            } finally {
                connection.close();
            }
        }

        private List<Message> receive(long invokedAt) {
            try {
                List<Message> messages = connection.sqs().receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10)
                        .waitTimeSeconds(WAIT_SECONDS).visibilityTimeout(VISIBILITY_SECONDS)).messages();
                history.delivered(queue.name(), invokedAt,
                        messages.stream().map(m -> new QueueHistory.Delivery(m.body(), m.messageId())).toList());
                return messages;
            } catch (RuntimeException failure) {
                connection.failed("ReceiveMessage", failure);
                return List.of();
            }
        }

        /** Deletes what the receive invoked at {@code receivedAt} returned. */
        private void delete(List<Message> messages, long receivedAt) {
            if (messages.isEmpty()) {
                return;
            }
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                        .receiptHandle(messages.get(i).receiptHandle()).build());
            }
            try {
                var answer = connection.sqs().deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(entries));
                answer.successful().forEach(ok -> {
                    Message deleted = messages.get(Integer.parseInt(ok.id()));
                    history.deleteAcknowledged(queue.name(), idOf(deleted.body()), deleted.messageId(), receivedAt);
                });
                // An entry refused inside a 200 answer (a stale receipt handle, say) is no thrown error: count it too.
                answer.failed().forEach(refused -> surfacedErrors.computeIfAbsent("DeleteMessageBatch entry: " + refused.code(),
                        kind -> new AtomicInteger()).incrementAndGet());
            } catch (RuntimeException failure) {
                connection.failed("DeleteMessageBatch", failure);
            }
        }

        private static String idOf(String body) {
            return body.split(" ", 2)[0];
        }
    }
}
