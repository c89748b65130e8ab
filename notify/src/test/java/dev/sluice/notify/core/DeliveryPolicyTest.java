package dev.sluice.notify.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SnsException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeliveryPolicyTest {

    @Test
    void snsHttpDefaultIsThreeRetriesTwentySecondsApart() {
        DeliveryPolicy policy = DeliveryPolicy.effective(null, null, "http");
        assertEquals(4, policy.maxAttempts());
        for (int retry = 1; retry <= 3; retry++) {
            assertEquals(Duration.ofSeconds(20), policy.delayBeforeRetry(retry));
        }
    }

    @Test
    void queuesFollowSnsPolicyForManagedEndpointsThreeAtOnceTwoASecondApartThenBackingOffToTwentySeconds() {
        DeliveryPolicy policy = DeliveryPolicy.SQS_DEFAULT;
        for (int retry = 1; retry <= 3; retry++) {
            assertEquals(Duration.ZERO, policy.delayBeforeRetry(retry));
        }
        assertEquals(Duration.ofSeconds(1), policy.delayBeforeRetry(4));
        assertEquals(Duration.ofSeconds(1), policy.delayBeforeRetry(5));
        assertEquals(Duration.ofSeconds(1), policy.delayBeforeRetry(6));
        assertTrue(policy.delayBeforeRetry(12).compareTo(Duration.ofSeconds(1)) > 0);
        assertTrue(policy.delayBeforeRetry(14).compareTo(Duration.ofSeconds(20)) < 0);
        assertEquals(Duration.ofSeconds(20), policy.delayBeforeRetry(15));
        assertEquals(Duration.ofSeconds(20), policy.delayBeforeRetry(100_015));
    }

    @Test
    void emailFollowsSnsSmtpPolicyWhateverTheTopicSays() {
        DeliveryPolicy policy = DeliveryPolicy.effective(null,
                "{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":1}}}", "email-json");
        assertEquals(51, policy.maxAttempts());
        assertEquals(Duration.ofSeconds(10), policy.delayBeforeRetry(1));
        assertEquals(Duration.ofSeconds(10), policy.delayBeforeRetry(2));
        assertEquals(Duration.ofSeconds(10), policy.delayBeforeRetry(3));
        assertTrue(policy.delayBeforeRetry(7).compareTo(Duration.ofSeconds(10)) > 0);
        assertTrue(policy.delayBeforeRetry(11).compareTo(Duration.ofSeconds(600)) < 0);
        assertEquals(Duration.ofSeconds(600), policy.delayBeforeRetry(12));
        assertEquals(Duration.ofSeconds(600), policy.delayBeforeRetry(50));
        long total = 0;
        for (int retry = 1; retry <= 50; retry++) {
            total += policy.delayBeforeRetry(retry).toSeconds();
        }
        assertTrue(total > 5 * 3600 && total < 7 * 3600, "about 6 hours in all: " + total + " s");
    }

    @Test
    void retriesRunThroughImmediatePreBackoffBackoffAndPostBackoffPhases() {
        DeliveryPolicy policy = DeliveryPolicy.parseSubscriptionPolicy("{\"healthyRetryPolicy\":{\"numRetries\":8,"
                + "\"numNoDelayRetries\":1,\"numMinDelayRetries\":2,\"numMaxDelayRetries\":2,\"minDelayTarget\":2,"
                + "\"maxDelayTarget\":12,\"backoffFunction\":\"linear\"}}");
        assertEquals(Duration.ZERO, policy.delayBeforeRetry(1));
        assertEquals(Duration.ofSeconds(2), policy.delayBeforeRetry(2));
        assertEquals(Duration.ofSeconds(2), policy.delayBeforeRetry(3));
        assertEquals(Duration.ofSeconds(2), policy.delayBeforeRetry(4));
        assertEquals(Duration.ofSeconds(7), policy.delayBeforeRetry(5));
        assertEquals(Duration.ofSeconds(12), policy.delayBeforeRetry(6));
        assertEquals(Duration.ofSeconds(12), policy.delayBeforeRetry(7));
        assertEquals(Duration.ofSeconds(12), policy.delayBeforeRetry(8));
    }

    @Test
    void backoffFunctionsRiseFromMinToMaxAtDifferentPaces() {
        for (String function : new String[] {"linear", "arithmetic", "geometric", "exponential"}) {
            DeliveryPolicy policy = DeliveryPolicy.parseSubscriptionPolicy("{\"healthyRetryPolicy\":{\"numRetries\":5,"
                    + "\"minDelayTarget\":1,\"maxDelayTarget\":100,\"backoffFunction\":\"" + function + "\"}}");
            assertEquals(Duration.ofSeconds(1), policy.delayBeforeRetry(1), function);
            assertEquals(Duration.ofSeconds(100), policy.delayBeforeRetry(5), function);
            for (int retry = 2; retry <= 5; retry++) {
                assertTrue(policy.delayBeforeRetry(retry).compareTo(policy.delayBeforeRetry(retry - 1)) > 0, function);
            }
        }
        long linear = DeliveryPolicy.parseSubscriptionPolicy("{\"healthyRetryPolicy\":{\"numRetries\":5,\"minDelayTarget\":1,"
                + "\"maxDelayTarget\":100,\"backoffFunction\":\"linear\"}}").delayBeforeRetry(3).toMillis();
        long exponential = DeliveryPolicy.parseSubscriptionPolicy("{\"healthyRetryPolicy\":{\"numRetries\":5,"
                + "\"minDelayTarget\":1,\"maxDelayTarget\":100,\"backoffFunction\":\"exponential\"}}").delayBeforeRetry(3)
                .toMillis();
        assertTrue(exponential < linear);
    }

    @Test
    void topicDefaultsApplyUnlessTheSubscriptionHasItsOwn() {
        String topic = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":5,\"minDelayTarget\":3,\"maxDelayTarget\":3},"
                + "\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":7}}}";
        DeliveryPolicy fromTopic = DeliveryPolicy.effective(null, topic, "http");
        assertEquals(6, fromTopic.maxAttempts());
        assertEquals(7, fromTopic.maxReceivesPerSecond());
        assertEquals(4, DeliveryPolicy.effective("{\"healthyRetryPolicy\":{\"numRetries\":3}}", topic, "http").maxAttempts());
        assertEquals(4, DeliveryPolicy.effective(null, topic, "https").maxAttempts());
    }

    @Test
    void outOfRangePoliciesAreInvalidParameters() {
        for (String bad : new String[] {"[]", "not json", "{\"healthyRetryPolicy\":{\"numRetries\":101}}",
                "{\"healthyRetryPolicy\":{\"minDelayTarget\":0}}", "{\"healthyRetryPolicy\":{\"minDelayTarget\":30,\"maxDelayTarget\":20}}",
                "{\"healthyRetryPolicy\":{\"numRetries\":2,\"numNoDelayRetries\":3}}",
                "{\"healthyRetryPolicy\":{\"backoffFunction\":\"cubic\"}}", "{\"throttlePolicy\":{\"maxReceivesPerSecond\":0}}",
                "{\"healthyRetryPolicy\":{\"numRetries\":\"three\"}}"}) {
            assertThrows(SnsException.class, () -> DeliveryPolicy.parseSubscriptionPolicy(bad), bad);
        }
    }
}
