package dev.sluice.raftstore.testing;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads of Ratis's server-side client executors ("n1-client-thread1"), which RaftServer#submitClientRequestAsync
 * starts on first use, as started since this snapshot was taken. Compared as threads, not names: a cluster an earlier
 * test class closed in the same JVM (surefire reuses its forks) may still have one ending, under the same name.
 */
public final class RatisClientExecutorThreads {
    private final Set<Thread> before;

    private RatisClientExecutorThreads(Set<Thread> before) {
        this.before = before;
    }

    /** Takes the snapshot: call before the cluster under test starts. */
    public static RatisClientExecutorThreads snapshot() {
        return new RatisClientExecutorThreads(alive());
    }

    /** Names of the client-executor threads started since {@link #snapshot} that are still alive. */
    public List<String> startedSince() {
        return alive().stream().filter(thread -> !before.contains(thread)).map(Thread::getName).sorted().toList();
    }

    private static Set<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().contains("-client-thread"))
                .collect(Collectors.toSet());
    }
}
