package dev.sluice.broker.core;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * StartMessageMoveTask and friends: a task records what to move; the leader's worker proposes
 * {@link #step} commands that move a bounded number of messages each, so a move never monopolises
 * the apply thread and survives leader changes (the task is in replicated state).
 */
public final class MoveTasks {
    /** SQS's ceiling for MaxNumberOfMessagesPerSecond; also the rate when none is given. */
    public static final int MAX_RATE = 500;

    private final QueueBook book;
    private final QueueStorage storage;
    private final Map<String, MoveTask> tasks = new TreeMap<>();

    MoveTasks(QueueBook book, QueueStorage storage) {
        this.book = book;
        this.storage = storage;
    }

    void restore(MoveTask task) {
        tasks.put(task.handle(), task);
    }

    /** The answer for a SourceArn that names no queue (StartMessageMoveTask, ListMessageMoveTasks). */
    public static SqsException missingSource() {
        return SqsError.RESOURCE_NOT_FOUND.exception("The resource that you specified for the SourceArn parameter doesn't exist.");
    }

    /** StartMessageMoveTask's answer for a DestinationArn that names no queue. */
    public static SqsException missingDestination() {
        return SqsError.RESOURCE_NOT_FOUND.exception("The resource that you specified for the DestinationArn parameter doesn't exist.");
    }

    public MoveTask start(String sourceArn, String destinationArn, Integer maxPerSecond, EntryStamp stamp) {
        QueueState source = requireDeadLetterSource(sourceArn, false);
        QueueState destination = destinationArn == null ? null : book.byArn(destinationArn);
        if (destinationArn != null && destination == null) {
            throw missingDestination();
        }
        return start(source, destinationArn, destination != null && destination.settings.fifoQueue(), maxPerSecond, false,
                stamp);
    }

    /**
     * StartMessageMoveTask as the router proposes it when the task may reach other groups: it verified
     * whether the source is some queue's dead-letter queue in any group ({@code sourceIsDeadLetterQueue}),
     * and {@code remoteDestination} is what it verified of a DestinationArn in another group (null: the
     * destination is in this group, or none was given). Messages bound for queues in other groups
     * leave through the outbox.
     */
    public MoveTask startAcrossGroups(String sourceArn, String destinationArn, RemoteQueue remoteDestination,
            boolean sourceIsDeadLetterQueue, Integer maxPerSecond, EntryStamp stamp) {
        QueueState source = requireDeadLetterSource(sourceArn, sourceIsDeadLetterQueue);
        QueueState destination = destinationArn == null ? null : book.byArn(destinationArn);
        boolean fifoDestination;
        if (destination != null || destinationArn == null) {
            fifoDestination = destination != null && destination.settings.fifoQueue();
        } else if (remoteDestination != null && remoteDestination.arn().equals(destinationArn)) {
            fifoDestination = remoteDestination.fifo();
        } else {
            throw missingDestination();
        }
        return start(source, destinationArn, fifoDestination, maxPerSecond, true, stamp);
    }

    private QueueState requireDeadLetterSource(String sourceArn, boolean verifiedElsewhere) {
        QueueState source = book.byArn(sourceArn);
        if (source == null) {
            throw missingSource();
        }
        if (!verifiedElsewhere && book.deadLetterSources(source.name).isEmpty()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Source queue must be configured as a Dead Letter Queue.");
        }
        return source;
    }

    private MoveTask start(QueueState source, String destinationArn, boolean fifoDestination, Integer maxPerSecond,
            boolean acrossGroups, EntryStamp stamp) {
        if (destinationArn != null && fifoDestination != source.settings.fifoQueue()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The destination queue must be of the same type (standard or FIFO) as the source queue.");
        }
        for (MoveTask task : tasks.values()) {
            if (task.isRunning() && task.sourceArn().equals(source.arn)) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
            }
        }
        long[] bits = stamp.uniqueBits();
        String handle = MessageIds.format(bits);
        long toMove = source.index.size();
        MoveTask task = new MoveTask(handle, source.arn, destinationArn, maxPerSecond == null ? MAX_RATE : maxPerSecond, 0,
                toMove, MoveTask.RUNNING, null, stamp.nowMillis(), acrossGroups);
        save(task);
        return task;
    }

    /** A step as the worker proposes it: see {@link #step(String, int, boolean, EntryStamp)} with {@code upToCount}. */
    public void step(String handle, int max, EntryStamp stamp) {
        step(handle, max, true, stamp);
    }

    /**
     * Moves up to {@code max} visible messages of a running task, oldest first, and ends it (COMPLETED) when none is
     * left to receive or, with {@code upToCount}, when it has moved the {@code toMoveCount} messages it counted when it
     * started. Why the count bounds the task: SQS documents ApproximateNumberOfMessagesToMove as "The number of
     * messages to be moved from the source queue. This number is obtained at the time of starting the message movement
     * task" (API reference, ListMessageMoveTasksResultEntry), and "Dead-letter queues redrive messages in the order
     * they are received, starting with the oldest message" (developer guide, configuring a dead-letter queue redrive).
     * So a task moves the backlog it found, oldest first, and messages dead-lettered after its start stay in the
     * dead-letter queue for a next task; a source that keeps dead-lettering faster than the task's rate no longer keeps
     * it RUNNING for ever, and ApproximateNumberOfMessagesMoved never passes ApproximateNumberOfMessagesToMove. Without
     * {@code upToCount} (log entries of code 12, from before) a task ran until the queue was empty.
     */
    public void step(String handle, int max, boolean upToCount, EntryStamp stamp) {
        MoveTask task = tasks.get(handle);
        if (task == null || !task.isRunning()) {
            return;
        }
        QueueState source = book.byArn(task.sourceArn());
        if (source == null) {
            save(task.ended(MoveTask.FAILED, "The source queue was deleted."));
            return;
        }
        long left = upToCount ? Math.max(0, task.toMoveCount() - task.movedCount()) : Long.MAX_VALUE;
        int limit = (int) Math.min(max, left);
        long now = stamp.nowMillis();
        source.index.promote(now);
        int moved = 0;
        while (moved < limit) {
            // In a FIFO dead-letter queue, the next message of a receivable group: each group moves in order.
            MessageMeta meta = source.index.nextReceivable(null);
            if (meta == null) {
                break;
            }
            String destinationArn = task.destinationArn() != null ? task.destinationArn()
                    : storage.readMessage(source.id, meta.seq).deadLetterSourceArn();
            QueueState destination = destinationArn == null ? null : book.byArn(destinationArn);
            if (destination == null && destinationArn != null && task.acrossGroups()) {
                if (!book.outboxHasRoom()) {
                    break; // the outbox is full: the task waits for the worker to settle transfers
                }
                book.transferOut(source, meta, destinationArn, null, task.handle(), stamp);
                moved++;
                continue;
            }
            if (destination == null) {
                String reason = destinationArn == null
                        ? "A message has no source queue (it was not dead-lettered here) and no DestinationArn was given."
                        : "The destination queue " + destinationArn + " does not exist.";
                save(task.moved(moved).ended(MoveTask.FAILED, reason));
                return;
            }
            book.moveMessage(source, meta, destination, null, stamp);
            moved++;
        }
        MoveTask progressed = task.moved(moved);
        boolean countMoved = upToCount && progressed.movedCount() >= progressed.toMoveCount();
        save(countMoved || source.index.receivableCount() == 0 ? progressed.ended(MoveTask.COMPLETED, null) : progressed);
    }

    /**
     * A message this task sent to another group found no destination queue there and went back to
     * the source: the task fails as it does for a missing local destination (if it still runs).
     */
    void failRemote(String handle, String reason) {
        MoveTask task = tasks.get(handle);
        if (task != null && task.isRunning()) {
            save(task.ended(MoveTask.FAILED, reason));
        }
    }

    public MoveTask cancel(String handle) {
        MoveTask task = tasks.get(handle);
        if (task == null) {
            throw SqsError.RESOURCE_NOT_FOUND.exception("Task does not exist.");
        }
        if (!task.isRunning()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Only active tasks can be cancelled.");
        }
        MoveTask cancelled = task.ended(MoveTask.CANCELLED, null);
        save(cancelled);
        return cancelled;
    }

    /** Tasks of a source queue, newest first. */
    public List<MoveTask> list(String sourceArn, int limit) {
        if (book.byArn(sourceArn) == null) {
            throw missingSource();
        }
        List<MoveTask> matching = new ArrayList<>();
        tasks.values().stream().filter(task -> task.sourceArn().equals(sourceArn))
                .sorted(Comparator.comparingLong(MoveTask::startedMillis).reversed().thenComparing(MoveTask::handle))
                .limit(limit).forEach(matching::add);
        return matching;
    }

    /** Running tasks, for the leader's worker. */
    public List<MoveTask> running() {
        return tasks.values().stream().filter(MoveTask::isRunning).toList();
    }

    private void save(MoveTask task) {
        tasks.put(task.handle(), task);
        storage.putMoveTask(task);
    }
}
