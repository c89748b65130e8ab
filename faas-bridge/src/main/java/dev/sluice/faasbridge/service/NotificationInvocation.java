package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.model.InvocationBill;
import dev.sluice.faasbridge.core.InvocationOutcome;
import java.util.Objects;

/**
 * What invoking a function with one SNS notification ({@link FunctionBridge#invoke}) came back with.
 *
 * @param outcome what the function answered ({@link InvocationOutcome.Failed} also for an unknown function or a
 *     throttle)
 * @param bill non-null when the invocation ran and the queue engine bills it in the log ({@link InvocationUsage
 *     #billedInLog}): the caller's delete of the notification's copy after success carries it, and the apply of that
 *     delete bills it if it removes the copy. Null when it never ran, or ran and was counted at this node's edge.
 */
public record NotificationInvocation(InvocationOutcome outcome, InvocationBill bill) {
    public NotificationInvocation {
        Objects.requireNonNull(outcome, "outcome");
    }
}
