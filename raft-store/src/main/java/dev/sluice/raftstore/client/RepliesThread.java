package dev.sluice.raftstore.client;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A group client's one thread ("sluice-&lt;group&gt;-replies"): callers' continuations run here in commit order, and
 * here writes for the division this node leads enter Ratis directly ({@link LocalDivisionSubmit}). That is safe only
 * because no caller can interrupt this thread: GroupClient hands it to nobody, and {@link #shutdown} lets it finish
 * its tasks instead of interrupting it, since a task may be inside Ratis's log append, where an interrupt closes the
 * whole division. A continuation run here may still set the thread's own interrupt flag (restoring an interrupt it
 * caught); GroupClient clears it once an entry's callers are done, and LocalDivisionSubmit before it enters Ratis.
 * While a saturated group's next entry lingers for more commands the thread is parked (GroupClient's entry linger),
 * so the tasks queued meanwhile (a read's answer) wait up to that linger.
 *
 * <p>Threads: {@link #execute} and {@link #isCurrent} from any thread.
 */
final class RepliesThread implements Executor {
    private final ExecutorService executor;
    /** The executor's thread; replaced with it should a task ever end it with an error. */
    private volatile Thread thread;

    RepliesThread(String groupName) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread created = new Thread(runnable, "sluice-" + groupName + "-replies");
            created.setDaemon(true);
            thread = created;
            return created;
        });
    }

    /** Whether the calling thread is this one. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} here, after the tasks before it; {@link RejectedExecutionException} once shut down. */
    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** Refuses new tasks and lets the queued ones run; never interrupts the thread (never {@code shutdownNow}). */
    void shutdown() {
        executor.shutdown();
    }
}
