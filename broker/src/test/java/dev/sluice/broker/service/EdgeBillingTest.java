package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deliveries bill the topic owner per protocol and 64 KiB chunk (http bytes as bytes out); invocations their time. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EdgeBillingTest {
    private static final long HOUR = 3_600_000L;
    private static final String OWNER = "111111111111";

    private final List<QueueCommand.RecordUsage> proposed = new ArrayList<>();
    private final EdgeUsage edge = new EdgeUsage("n1", () -> Instant.ofEpochMilli(7 * HOUR + 5), flush -> {
        proposed.add(flush);
        return CompletableFuture.completedFuture(true);
    }, () -> CompletableFuture.completedFuture(true));
    private final EdgeBilling billing = new EdgeBilling(edge, new FeatureLatch(() -> CompletableFuture.completedFuture(false)));

    private List<UsageRow> flushed() {
        edge.flush().join();
        return proposed.get(proposed.size() - 1).rows();
    }

    private static UsageRow row(UsageKind kind, long amount) {
        return new UsageRow(OWNER, 7 * HOUR, kind, amount);
    }

    @Test
    void eachProtocolIsItsOwnKindCountedPerStarted64KibChunk() {
        billing.delivered(OWNER, "sqs", 10);
        billing.delivered(OWNER, "sqs", 64 * 1024 + 1);
        billing.delivered(OWNER, "http", 100);
        billing.delivered(OWNER, "https", 200 * 1024);
        billing.delivered(OWNER, "email", 1);
        billing.delivered(OWNER, "email-json", 1);
        billing.delivered(OWNER, "lambda", 1);
        billing.delivered(OWNER, "function", 1);
        assertEquals(List.of(row(UsageKind.SNS_DELIVERIES_SQS, 1 + 2), row(UsageKind.SNS_DELIVERIES_HTTP, 1 + 4),
                row(UsageKind.SNS_DELIVERIES_EMAIL, 2), row(UsageKind.SNS_DELIVERIES_LAMBDA, 2),
                row(UsageKind.SNS_HTTP_BYTES_OUT, 100 + 200 * 1024)), flushed());
    }

    @Test
    void anInvocationIsOneInvocationAndItsMilliseconds() {
        billing.invoked(OWNER, 250);
        billing.invoked(OWNER, 0);
        assertEquals(List.of(row(UsageKind.FUNCTION_INVOCATIONS, 2), row(UsageKind.FUNCTION_DURATION_MILLIS, 251)),
                flushed());
    }

    @Test
    void anUnknownProtocolIsBilledNowhereAndFailsNoDelivery() {
        billing.delivered(OWNER, "sms", 10);
        edge.flush().join();
        assertEquals(List.of(), proposed);
    }
}
