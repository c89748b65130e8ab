package dev.sluice.broker.core;

/**
 * A StartMessageMoveTask: moves messages from a dead-letter queue to {@code destinationArn}, or back
 * to each message's source queue when that is null.
 *
 * @param status RUNNING, COMPLETED, CANCELLED or FAILED, as SQS names them
 * @param acrossGroups whether destinations in other groups are allowed (started by a command that
 *     carried the router's verification); without it a destination not in this group fails the task
 */
public record MoveTask(String handle, String sourceArn, String destinationArn, int maxMessagesPerSecond,
        long movedCount, long toMoveCount, String status, String failureReason, long startedMillis, boolean acrossGroups) {

    public MoveTask(String handle, String sourceArn, String destinationArn, int maxMessagesPerSecond, long movedCount,
            long toMoveCount, String status, String failureReason, long startedMillis) {
        this(handle, sourceArn, destinationArn, maxMessagesPerSecond, movedCount, toMoveCount, status, failureReason,
                startedMillis, false);
    }

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String CANCELLED = "CANCELLED";
    public static final String FAILED = "FAILED";

    public boolean isRunning() {
        return RUNNING.equals(status);
    }

    MoveTask moved(long more) {
        return new MoveTask(handle, sourceArn, destinationArn, maxMessagesPerSecond, movedCount + more, toMoveCount,
                status, failureReason, startedMillis, acrossGroups);
    }

    MoveTask ended(String newStatus, String reason) {
        return new MoveTask(handle, sourceArn, destinationArn, maxMessagesPerSecond, movedCount, toMoveCount,
                newStatus, reason, startedMillis, acrossGroups);
    }
}
