package dev.sluice.broker.sns;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** AWS SDK v2 SNS clients pointed at a Sluice node (no retries, so errors reach the test as they are). */
public final class SnsClients {
    private SnsClients() {
    }

    public static SnsClient client(int port) {
        return SnsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(config -> config.retryStrategy(retry -> retry.maxAttempts(1)))
                .build();
    }

    /** Waits up to 15 s until no subscription of {@code topic} is pending confirmation. */
    public static void awaitConfirmed(SnsClient sns, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().stream()
                    .noneMatch(s -> s.subscriptionArn().equals("PendingConfirmation"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("subscriptions of " + topic + " were not confirmed");
    }
}
