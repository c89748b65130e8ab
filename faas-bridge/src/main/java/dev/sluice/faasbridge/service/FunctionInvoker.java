package dev.sluice.faasbridge.service;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.core.FunctionEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Invokes a function with one event of any kind (an SQS batch or an SNS notification); one invoker per
 * kind of target (HTTP, in-process). The future always completes normally, within the function's
 * timeout (plus scheduling slack): every failure, the timeout included, is an {@link InvocationOutcome.Failed}.
 */
interface FunctionInvoker {
    /** Lambda's errorType for an invocation that ran past the function's timeout. */
    String TIMED_OUT = "Sandbox.Timedout";

    CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event);
}
