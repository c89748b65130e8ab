package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.notify.core.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Function (lambda) subscriptions: their endpoint ARNs, their retry schedule, and refusal without a bridge. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FunctionSubscriptionRulesTest {

    private static Subscription subscription(String protocol, Map<String, String> attributes) {
        return new Subscription("00000000-0000-0000-0000-000000000001", "t", protocol, "endpoint", attributes, true, null, null);
    }

    @Test
    void onlyUnqualifiedLambdaFunctionArnsNameAFunction() {
        assertEquals(Optional.of("pager-1_x"), Subscription.functionName("arn:aws:lambda:us-east-1:000000000000:function:pager-1_x"));
        assertEquals(Optional.of("f"), Subscription.functionName("arn:aws-cn:lambda:cn-north-1:123456789012:function:f"));
        for (String refused : new String[] {"pager", "arn:aws:lambda:us-east-1:000000000000:function:pager:prod",
                "arn:aws:lambda:us-east-1:000000000000:function:pager:1", "arn:aws:sqs:us-east-1:000000000000:pager",
                "arn:aws:lambda:us-east-1:0000:function:pager", "arn:aws:lambda:us-east-1:000000000000:function:",
                "arn:aws:lambda:us-east-1:000000000000:function:has.dot"}) {
            assertEquals(Optional.empty(), Subscription.functionName(refused), refused);
        }
    }

    @Test
    void lambdaAndFunctionAreDeliveredThroughADeliveryQueue() {
        assertTrue(subscription("lambda", Map.of()).function());
        assertTrue(subscription("function", Map.of()).push());
        assertFalse(subscription("https", Map.of()).function());
    }

    @Test
    void functionsRetryOnLambdasAsynchronousScheduleByDefaultAndHttpKeepsItsPolicy() {
        RetrySchedule lambda = RetrySchedule.of(subscription("lambda", Map.of()), null,
                NotifyConfig.defaults("us-east-1", "000000000000").functionRetryDelays());
        assertEquals(3, lambda.maxAttempts());
        assertEquals(Duration.ofMinutes(1), lambda.delayBeforeRetry(1));
        assertEquals(Duration.ofMinutes(2), lambda.delayBeforeRetry(2));
        RetrySchedule http = RetrySchedule.of(subscription("https", Map.of()), null, List.of(Duration.ofSeconds(1)));
        assertEquals(4, http.maxAttempts());
        assertEquals(Duration.ofSeconds(20), http.delayBeforeRetry(1));
    }

    @Test
    void functionRetryDelaysAreBounded() {
        NotifyConfig defaults = NotifyConfig.defaults("us-east-1", "000000000000");
        assertEquals(List.of(), defaults.validate());
        assertEquals(List.of(), defaults.withFunctionRetryDelays(List.of()).validate());
        assertEquals(1, defaults.withFunctionRetryDelays(List.of(Duration.ofMillis(10))).validate().size());
        assertEquals(1, defaults.withFunctionRetryDelays(List.of(Duration.ofHours(13))).validate().size());
        assertEquals(1, defaults.withFunctionRetryDelays(java.util.Collections.nCopies(11, Duration.ofSeconds(1)))
                .validate().size());
    }

    @Test
    void withoutAFunctionBridgeLambdaSubscriptionsAreRefused() {
        SubscriptionActions actions = new SubscriptionActions(null, null, null, null, null, null, null, null, null, null, 25,
                false, CompletableFuture.completedFuture(null), () -> { }, null, null);
        for (String protocol : new String[] {"lambda", "function"}) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> actions.subscribe(
                    dev.sluice.notify.core.Caller.anonymous(null), "arn:aws:sns:us-east-1:000000000000:t", protocol,
                    "arn:aws:lambda:us-east-1:000000000000:function:f", Map.of(), false).get(5, TimeUnit.SECONDS));
            SnsException refused = assertInstanceOf(SnsException.class, failed.getCause());
            assertEquals(SnsError.INVALID_PARAMETER, refused.error());
            assertEquals("Invalid parameter: Protocol Reason: " + protocol + " subscriptions need the function bridge, "
                    + "which does not run here", refused.getMessage());
        }
    }

    @Test
    void aFunctionDeliveryStaysInvisibleThroughItsWaitForADeliveryPermitAndTheLongestInvocation() {
        SubscriberFunctions functions = new SubscriberFunctions() {
            @Override
            public CompletableFuture<Result> invoke(String functionName, String eventJson) {
                return CompletableFuture.completedFuture(Result.SUCCEEDED);
            }

            @Override
            public Duration maxInvocationTime() {
                return Duration.ofSeconds(60);
            }
        };
        FunctionDeliveries deliveries = FunctionDeliveries.of(functions, List.of());
        assertTrue(deliveries.visibilitySeconds() > DeliveryWorker.PERMIT_WAIT.plusSeconds(60).toSeconds(),
                "visibility " + deliveries.visibilitySeconds() + " s");
    }
}
