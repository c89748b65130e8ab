package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SqsTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Senders that each send one message at a time through one node's HTTP port, paced (one send every
 * {@code pauseMillis} after the previous answer), and remember when each send was acknowledged
 * ({@link System#nanoTime}). The AWS SDK's retries are off: a failed send is tried again by the loop after the
 * same pause, so the times show when the service answered, not the SDK's back-off.
 *
 * <p>Threads: one per sender; the read methods may be called from any thread.
 */
final class PacedSenders implements AutoCloseable {
    private final int[] nodeOfSender;
    private final List<ConcurrentLinkedQueue<Long>> acknowledgedAt = new ArrayList<>();
    /** Per sender, every attempt: when it was sent and answered (nanoTime) and how (for where a gap's time went). */
    private final List<ConcurrentLinkedQueue<Attempt>> attempts = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;

    PacedSenders(int[] httpPorts, int sendersPerNode, String queueUrl, long pauseMillis) {
        int senders = httpPorts.length * sendersPerNode;
        nodeOfSender = new int[senders];
        threads = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            int sender = s;
            nodeOfSender[s] = s % httpPorts.length;
            acknowledgedAt.add(new ConcurrentLinkedQueue<>());
            attempts.add(new ConcurrentLinkedQueue<>());
            int port = httpPorts[nodeOfSender[s]];
            threads.execute(() -> sendUntilClosed(sender, port, queueUrl, pauseMillis));
        }
    }

    private void sendUntilClosed(int sender, int port, String queueUrl, long pauseMillis) {
        try (SqsClient client = SqsTestServer.clientWithoutRetries(port)) {
            for (long n = 0; running.get(); n++) {
                String body = "s" + sender + "-" + n;
                long sentAt = System.nanoTime();
                try {
                    client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
                    long answeredAt = System.nanoTime();
                    acknowledgedAt.get(sender).add(answeredAt);
                    attempts.get(sender).add(new Attempt(sentAt, answeredAt, "ok"));
                    acknowledged.incrementAndGet();
                } catch (RuntimeException notAcknowledged) {
                    attempts.get(sender).add(new Attempt(sentAt, System.nanoTime(), outcome(notAcknowledged)));
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String outcome(RuntimeException failure) {
        if (failure instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service) {
            return service.statusCode() + " " + service.awsErrorDetails().errorCode();
        }
        return failure.getClass().getSimpleName();
    }

    /** One send: sent and answered (nanoTime), and "ok", the HTTP status and error code, or the client's exception. */
    record Attempt(long sentAt, long answeredAt, String outcome) {
    }

    /**
     * The attempts of {@code sender} answered after {@code from} (nanoTime) up to its first success, as
     * "[+sent..+answered outcome]" in ms after {@code from}: where the time of a gap went, as the client saw it.
     */
    String attemptsUntilServed(int sender, long from) {
        StringBuilder out = new StringBuilder();
        for (Attempt attempt : attempts.get(sender)) {
            if (attempt.answeredAt() > from) {
                out.append(String.format(" [%+d..%+d %s]", TimeUnit.NANOSECONDS.toMillis(attempt.sentAt() - from),
                        TimeUnit.NANOSECONDS.toMillis(attempt.answeredAt() - from), attempt.outcome()));
                if (attempt.outcome().equals("ok")) {
                    break;
                }
            }
        }
        return out.toString();
    }

    int senders() {
        return nodeOfSender.length;
    }

    int nodeOf(int sender) {
        return nodeOfSender[sender];
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    /** The first acknowledgement of {@code sender} after {@code afterNanos}, or -1 when there is none yet. */
    long firstAckAfter(int sender, long afterNanos) {
        long first = -1;
        for (long at : acknowledgedAt.get(sender)) {
            if (at > afterNanos && (first == -1 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }
}
