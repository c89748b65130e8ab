package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every invocation that ran is billed once to its function's owner, its duration rounded up to the millisecond. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MeteredInvokerTest {
    private static final String DEFAULT_ACCOUNT = "000000000000";

    private final List<String> billed = new ArrayList<>();
    private long nanos = 1_000;
    private CompletableFuture<InvocationOutcome> pending;

    private final MeteredInvoker invoker = new MeteredInvoker((function, event) -> pending = new CompletableFuture<>(),
            (owner, millis) -> billed.add(owner + " " + millis), AccountScope.only(DEFAULT_ACCOUNT)::accountOf,
            () -> nanos);

    private static FunctionDefinition function(String storedName) {
        return new FunctionDefinition(storedName, "http://127.0.0.1:1/", null, 3, null, 0);
    }

    @Test
    void anInvocationIsBilledWhenItEndsToTheOwnerOfItsQualifiedName() {
        CompletableFuture<InvocationOutcome> result = invoker.invoke(function("111111111111/pager"),
                new FunctionEvent.Sns("{}"));
        assertEquals(List.of(), billed, "nothing billed while it runs");
        nanos += 41_000_001;
        pending.complete(new InvocationOutcome.Returned("null"));
        assertEquals(new InvocationOutcome.Returned("null"), result.join());
        assertEquals(List.of("111111111111 42"), billed, "41.000001 ms bill as 42");
    }

    @Test
    void aFailedOrInstantInvocationStillBillsOneInvocationOfAtLeastOneMillisecond() {
        invoker.invoke(function("bare"), new FunctionEvent.Sns("{}"));
        pending.complete(new InvocationOutcome.Failed("Sandbox.Timedout", "ran out of time"));
        invoker.invoke(function("bare"), new FunctionEvent.Sns("{}"));
        pending.completeExceptionally(new IllegalStateException("an invoker bug"));
        assertEquals(List.of(DEFAULT_ACCOUNT + " 1", DEFAULT_ACCOUNT + " 1"), billed);
    }
}
