package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sns.SnsClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A node whose proposal queues hold very few waiting writes, under a burst from many threads: the writes that do
 * not fit are answered with the protocol's throttling error (which the AWS SDKs classify as throttling and retry),
 * never with a 5xx; the writes that were accepted all succeed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrottlingIT {
    private static final int THREADS = 48;
    private static final int CALLS_PER_THREAD = 40;

    @TempDir
    Path dir;

    @Test
    void aFullProposalQueueAnswersSqsRequestThrottledWith400NeverA5xx() throws Exception {
        try (SqsTestServer node = SqsTestServer.start(dir, config -> config.withRaft(config.raft().withMaxWaitingCommands(2)))) {
            SqsClient noRetries = SqsTestServer.client(node.port(), null);
            String queueUrl = node.sqs.createQueue(b -> b.queueName("burst")).queueUrl();
            Outcomes outcomes = burst(() -> noRetries.sendMessage(b -> b.queueUrl(queueUrl).messageBody("m")));
            outcomes.assertThrottledOnly("RequestThrottled", 400);
            String depth = node.sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                    .get("ApproximateNumberOfMessages");
            assertEquals(String.valueOf(outcomes.succeeded.get()), depth, "every accepted send is in the queue");
        }
    }

    @Test
    void aFullProposalQueueAnswersSnsPublishThrottledWith429() throws Exception {
        try (SqsTestServer node = SqsTestServer.start(dir, config -> config.withRaft(config.raft().withMaxWaitingCommands(2)));
                SnsClient sns = SnsClients.client(node.port())) {
            String topicArn = sns.createTopic(b -> b.name("burst")).topicArn();
            Outcomes outcomes = burst(() -> sns.publish(b -> b.topicArn(topicArn).message("m")));
            outcomes.assertThrottledOnly("Throttled", 429);
        }
    }

    private static Outcomes burst(Runnable call) throws Exception {
        Outcomes outcomes = new Outcomes();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        try {
                            call.run();
                            outcomes.succeeded.incrementAndGet();
                        } catch (AwsServiceException e) {
                            outcomes.failures.merge(e.awsErrorDetails().errorCode() + " " + e.statusCode()
                                    + " throttling=" + e.isThrottlingException(), 1, Integer::sum);
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return outcomes;
    }

    private static final class Outcomes {
        final AtomicInteger succeeded = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();

        void assertThrottledOnly(String code, int status) {
            String expected = code + " " + status + " throttling=true";
            assertTrue(failures.containsKey(expected), "no throttling in a burst; failures: " + failures
                    + ", successes: " + succeeded);
            assertEquals(List.of(expected), List.copyOf(failures.keySet()), "every failure is throttling: " + failures);
            assertTrue(succeeded.get() > 0, "nothing got through");
        }
    }
}
