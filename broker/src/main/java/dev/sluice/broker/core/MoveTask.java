package dev.sluice.broker.core;

/**
 * A StartMessageMoveTask: moves messages from a dead-letter queue to {@code destinationArn}, or back
 * to each message's source queue when that is null.
 *
 * @param status RUNNING, COMPLETED, CANCELLED or FAILED, as SQS names them
 */
public record MoveTask(String handle, String sourceArn, String destinationArn, int maxMessagesPerSecond,
        long movedCount, long toMoveCount, String status, String failureReason, long startedMillis) {

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String CANCELLED = "CANCELLED";
    public static final String FAILED = "FAILED";

    public boolean isRunning() {
        return RUNNING.equals(status);
    }

    MoveTask moved(long more) {
        return new MoveTask(handle, sourceArn, destinationArn, maxMessagesPerSecond, movedCount + more, toMoveCount,
                status, failureReason, startedMillis);
    }

    MoveTask ended(String newStatus, String reason) {
        return new MoveTask(handle, sourceArn, destinationArn, maxMessagesPerSecond, movedCount, toMoveCount,
                newStatus, reason, startedMillis);
    }
}
