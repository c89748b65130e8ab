package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SameRunTableTest {

    @Test
    void ratiosDivideRunsOfTheSameRepetitionAndTakeTheMedian() {
        // Repetition 2 ran on a slower machine: a ratio of medians would say 1.5x, the same-run ratios say 2x.
        Map<Integer, String> baseline = Map.of(1, line("data-groups=1", 1, 1_000, 500), 2, line("data-groups=1", 2, 500, 500),
                3, line("data-groups=1", 3, 1_000, 500));
        Map<Integer, String> runs = Map.of(1, line("data-groups=4", 1, 2_000, 400), 2, line("data-groups=4", 2, 1_000, 400),
                3, line("data-groups=4", 3, 1_500, 400));

        assertEquals(OptionalDouble.of(2.0), SameRunTable.sameRunRatio(runs, baseline, "sentMsgsPerSec"));
        assertEquals(OptionalDouble.of(0.8), SameRunTable.sameRunRatio(runs, baseline, "serverCpuMsPer1kMsgs"));
    }

    @Test
    void aRepetitionWithoutABaselineRunOrWithAnUnknownValueIsLeftOut() {
        Map<Integer, String> baseline = Map.of(1, line("a", 1, 1_000, 500));
        Map<Integer, String> runs = Map.of(1, line("b", 1, 3_000, 500), 2, line("b", 2, 9_000, 500));

        assertEquals(OptionalDouble.of(3.0), SameRunTable.sameRunRatio(runs, baseline, "sentMsgsPerSec"));
        assertEquals(OptionalDouble.empty(), SameRunTable.sameRunRatio(runs, Map.of(), "sentMsgsPerSec"));
        String unsampled = line("b", 1, 3_000, 500).replace("\"serverCpuMsPer1kMsgs\":500", "\"serverCpuMsPer1kMsgs\":null");
        assertEquals(OptionalDouble.empty(), SameRunTable.sameRunRatio(Map.of(1, unsampled), baseline, "serverCpuMsPer1kMsgs"));
    }

    @Test
    void configurationsKeepTheOrderTheyWereFirstRunInAndTheFirstIsTheBaseline() {
        List<String> lines = List.of(
                line("data-groups=1", 1, 1_000, 500), line("data-groups=2", 1, 1_500, 500), line("data-groups=4", 1, 1_800, 450),
                "data-groups=1: a human line",
                line("data-groups=1", 2, 1_100, 520), line("data-groups=2", 2, 1_650, 520), line("data-groups=4", 2, 2_200, 468));

        List<String> rows = SameRunTable.mediansAndRatios(lines).lines().toList();

        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).endsWith("| sent × | recv+del × | server CPU / 1k × | … without JIT × |"), rows.get(0));
        assertTrue(rows.get(2).startsWith("| data-groups=1 | 2 | 1050 |"), rows.get(2));
        assertTrue(rows.get(2).endsWith("| 1.00 | 1.00 | 1.00 | 1.00 |"), rows.get(2));
        assertTrue(rows.get(3).startsWith("| data-groups=2 | 2 | 1575 |"), rows.get(3));
        assertTrue(rows.get(3).endsWith("| 1.50 | 1.50 | 1.00 | 1.00 |"), rows.get(3));
        assertTrue(rows.get(4).endsWith("| 1.90 | 1.90 | 0.90 | 0.90 |"), rows.get(4));
    }

    @Test
    void everyRunGetsARowAndUnlabelledSummariesAreIgnored() {
        String unlabelled = line("x", 1, 10, 10).replace("\"label\":\"x\"", "\"label\":null");
        String table = SameRunTable.everyRun(List.of(line("partitions=1", 1, 900, 300), unlabelled, line("partitions=1", 2, 950, 310)));

        List<String> rows = table.lines().toList();
        assertEquals(4, rows.size(), table);
        assertTrue(rows.get(2).startsWith("| partitions=1 | 1 | 900 | 900 | 12.5 | 80.0 | 300 | 150 |"), table);
        assertTrue(rows.get(3).startsWith("| partitions=1 | 2 | 950 |"), table);
    }

    @Test
    void aColumnALineDoesNotHaveReadsAsUnknown() {
        String older = line("a", 1, 1_000, 500).replace(",\"serverCpuMsPer1kMsgsWithoutJit\":250.0", "");

        assertTrue(SameRunTable.everyRun(List.of(older)).lines().toList().get(2).contains("| 500 | n/a |"));
        assertEquals(OptionalDouble.empty(), SameRunTable.sameRunRatio(Map.of(1, older), Map.of(1, older),
                "serverCpuMsPer1kMsgsWithoutJit"));
    }

    private static String line(String label, int repetition, double sentPerSecond, double serverCpuPerThousand) {
        return "{\"benchmark\":\"sqs-e2e\",\"label\":\"" + label + "\",\"repetition\":" + repetition
                + ",\"endpoint\":\"http://127.0.0.1:1\",\"queue\":\"bench\",\"queues\":8,\"queueAttributes\":\"{}\""
                + ",\"fifo\":false,\"groups\":0,\"producers\":8,\"consumers\":16,\"bodyBytes\":200,\"measuredSeconds\":20.000"
                + ",\"sentMsgsPerSec\":" + sentPerSecond + ",\"receivedDeletedMsgsPerSec\":" + sentPerSecond
                + ",\"messagesPerReceive\":9.50,\"latencyP50Ms\":12.500,\"latencyP99Ms\":80.000,\"latencyMaxMs\":90.000"
                + ",\"latencySamples\":100,\"errors\":0,\"sentTotal\":1,\"deletedTotal\":1,\"backlogAfterDrain\":0"
                + ",\"foreignMessages\":0,\"serverCpuMs\":1,\"serverCpuMsPer1kMsgs\":" + serverCpuPerThousand
                + ",\"serverJitCpuMs\":0,\"serverCpuMsPer1kMsgsWithoutJit\":" + serverCpuPerThousand / 2
                + ",\"clientCpuMs\":1,\"clientCpuMsPer1kMsgs\":200.0,\"machineBusyMs\":1,\"otherCpuMs\":1000"
                + ",\"cpuCapacityMs\":40000,\"firstError\":null}";
    }
}
