package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ThreadCpuSnapshotTest {

    @Test
    void aTrailingNumberFoldsSoAPoolReadsAsOneName() {
        assertEquals("vert.x-eventloop-thread-N", ThreadCpuSnapshot.foldedName("vert.x-eventloop-thread-3"));
        assertEquals("C2_CompilerThreadN", ThreadCpuSnapshot.foldedName("C2 CompilerThread0"));
        assertEquals("sluice-data-0-r", ThreadCpuSnapshot.foldedName("sluice-data-0-r"));
        assertEquals("n1@group-BDA734", ThreadCpuSnapshot.foldedName("n1@group-BDA734"));
    }

    @Test
    void fullNamesReplaceLinuxsWhereKnown() {
        ThreadCpuSnapshot snapshot = new ThreadCpuSnapshot(Map.of(
                7L, new ThreadCpuSnapshot.ThreadTicks("n1@group-BDA734", 10),
                8L, new ThreadCpuSnapshot.ThreadTicks("java", 5)));

        ThreadCpuSnapshot renamed = snapshot.renamed(Map.of(7L, "n1@data-0-StateMachineUpdater", 9L, "gone"));

        assertEquals(Map.of(7L, new ThreadCpuSnapshot.ThreadTicks("n1@data-0-StateMachineUpdater", 10),
                8L, new ThreadCpuSnapshot.ThreadTicks("java", 5)), renamed.threads());
    }

    @Test
    void usedCpuIsSummedByNameAndTheBusiestThreadIsAShareOfOneCore() {
        ThreadCpuSnapshot before = new ThreadCpuSnapshot(Map.of(
                1L, new ThreadCpuSnapshot.ThreadTicks("apply", 100),
                2L, new ThreadCpuSnapshot.ThreadTicks("loop-N", 50),
                3L, new ThreadCpuSnapshot.ThreadTicks("loop-N", 50)));
        // Thread 4 started inside the window: all its ticks count. Thread 3 ended: it is not in the later snapshot.
        ThreadCpuSnapshot after = new ThreadCpuSnapshot(Map.of(
                1L, new ThreadCpuSnapshot.ThreadTicks("apply", 1_000),
                2L, new ThreadCpuSnapshot.ThreadTicks("loop-N", 650),
                4L, new ThreadCpuSnapshot.ThreadTicks("loop-N", 400)));

        ThreadCpuSnapshot.ThreadUse used = after.usedSince(before, 10_000, 100, 5);

        assertEquals("busiest thread apply 90% of a core; by name: loop-N 10000 ms, apply 9000 ms", used.breakdown());
        assertEquals(0, used.jitCompilerMillis());
    }

    @Test
    void theTopLimitsTheNamesListed() {
        ThreadCpuSnapshot after = new ThreadCpuSnapshot(Map.of(
                1L, new ThreadCpuSnapshot.ThreadTicks("a", 30),
                2L, new ThreadCpuSnapshot.ThreadTicks("b", 20),
                3L, new ThreadCpuSnapshot.ThreadTicks("c", 10)));

        assertEquals("busiest thread a 3% of a core; by name: a 300 ms, b 200 ms",
                after.usedSince(new ThreadCpuSnapshot(Map.of()), 10_000, 100, 2).breakdown());
    }

    @Test
    void jitCompilerThreadsAreCountedApartAndAreNeverTheBusiestThread() {
        ThreadCpuSnapshot after = new ThreadCpuSnapshot(Map.of(
                1L, new ThreadCpuSnapshot.ThreadTicks("C2_CompilerThreadN", 500),
                2L, new ThreadCpuSnapshot.ThreadTicks("C1_CompilerThre", 100),
                3L, new ThreadCpuSnapshot.ThreadTicks("n1@data-0-StateMachineUpdater", 200)));

        ThreadCpuSnapshot.ThreadUse used = after.usedSince(new ThreadCpuSnapshot(Map.of()), 10_000, 100, 3);

        assertEquals(6_000, used.jitCompilerMillis());
        assertTrue(used.breakdown().startsWith("busiest thread n1@data-0-StateMachineUpdater 20% of a core;"), used.breakdown());
    }

    @Test
    void thisJvmsThreadsCanBeRead() throws IOException {
        ThreadCpuSnapshot snapshot = ThreadCpuSnapshot.of(ProcessHandle.current().pid());
        assertTrue(snapshot.threads().size() > 1, snapshot.toString());
    }
}
