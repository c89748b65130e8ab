package dev.sluice.broker.core;

/**
 * A queue's readiness before a change to its messages, to tell its long polls afterwards how many of them the change
 * concerns (see {@link QueueWakeups#messagesReady}): one waiter per receive that could now find something, or all of
 * them when a message became due earlier than any waiter's timer knows (a delayed send), so each re-times its wait.
 */
record ReadyMark(String queue, long receivable, long nextVisibleAtMillis) {
    static ReadyMark of(QueueBook book, String queue) {
        return new ReadyMark(queue, book.receivableCount(queue), book.nextVisibleAtMillis(queue));
    }

    void tell(QueueBook book, QueueWakeups wakeups) {
        if (book.nextVisibleAtMillis(queue) < nextVisibleAtMillis) {
            wakeups.queueChanged(queue);
            return;
        }
        long added = book.receivableCount(queue) - receivable;
        if (added > 0) {
            wakeups.messagesReady(queue, added);
        }
    }
}
