package dev.sluice.clientsdk.model;

/**
 * A function invocation billed by the delete of the messages it handled (see
 * {@link DeleteMessageBatchRequest#invocationBill}): one invocation and its duration, to the function's owner. Not part
 * of SQS; set only in-process by the function bridge.
 *
 * @param functionOwner the account that owns the function (12 digits), who pays for it
 * @param durationMillis how long it ran, rounded up to the millisecond, at least 1
 */
public record InvocationBill(String functionOwner, long durationMillis) {
    public InvocationBill {
        java.util.Objects.requireNonNull(functionOwner, "functionOwner");
        if (durationMillis < 1) {
            throw new IllegalArgumentException("an invocation bills at least 1 ms: " + durationMillis);
        }
    }
}
