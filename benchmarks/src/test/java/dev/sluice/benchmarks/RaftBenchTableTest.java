package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RaftBenchTableTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValue() {
        assertEquals(2.0, RaftBenchTable.median(new double[] {3.0, 1.0, 2.0}), 1e-12);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, RaftBenchTable.median(new double[] {4.0, 1.0, 3.0, 2.0}), 1e-12);
    }

    @Test
    void unknownValuesAreLeftOutOfTheMedian() {
        assertEquals(5.0, RaftBenchTable.median(new double[] {Double.NaN, 5.0}), 1e-12);
        assertTrue(Double.isNaN(RaftBenchTable.median(new double[] {Double.NaN})));
    }

    @Test
    void numbersAndNullsAreReadFromASummaryLine() {
        String line = "{\"benchmark\":\"raft-commit\",\"nodes\":3,\"latencyP50Ms\":1.250,\"commandsPerEntry\":null,\"otherCpuMs\":-40}";

        assertEquals(3.0, RaftBenchTable.number(line, "nodes"), 1e-12);
        assertEquals(1.25, RaftBenchTable.number(line, "latencyP50Ms"), 1e-12);
        assertEquals(-40.0, RaftBenchTable.number(line, "otherCpuMs"), 1e-12);
        assertTrue(Double.isNaN(RaftBenchTable.number(line, "commandsPerEntry")));
        assertThrows(IllegalArgumentException.class, () -> RaftBenchTable.number(line, "clients"));
    }

    @Test
    void repetitionsOfOneCellBecomeOneRowOfMediansAndOtherLinesAreIgnored() {
        String table = RaftBenchTable.markdown(List.of(
                line(3, 16, 900.0, 4.0, 0),
                "nodes=3 clients=16 value=100B: a human line",
                line(1, 1, 300.0, 3.0, 0),
                line(3, 16, 1_100.0, 6.0, 2),
                line(3, 16, 1_000.0, 5.0, 1)));

        List<String> rows = table.lines().toList();
        assertEquals(4, rows.size(), table);
        assertTrue(rows.get(2).startsWith("| 1 | 1 | 100 | 1 | 300 | 3.00 |"), table);
        assertTrue(rows.get(3).startsWith("| 3 | 16 | 100 | 3 | 1000 | 5.00 |"), table);
        assertTrue(rows.get(3).endsWith(" 3 |"), "errors are summed over repetitions: " + table);
    }

    private static String line(int nodes, int clients, double committedPerSec, double p50, int errors) {
        return "{\"benchmark\":\"raft-commit\",\"nodes\":" + nodes + ",\"clients\":" + clients + ",\"valueBytes\":100"
                + ",\"leader\":\"n1\",\"measuredSeconds\":15.000,\"committedPerSec\":" + committedPerSec
                + ",\"latencyP50Ms\":" + p50 + ",\"latencyP99Ms\":9.0,\"latencyMaxMs\":20.0,\"committed\":1"
                + ",\"entriesPerSec\":50.0,\"commandsPerEntry\":4.00,\"errors\":" + errors
                + ",\"nodeCpuMs\":[1],\"nodesCpuMsPer1kWrites\":500.0,\"clientCpuMs\":1,\"clientCpuMsPer1kWrites\":100.0"
                + ",\"machineBusyMs\":1,\"otherCpuMs\":10,\"cpuCapacityMs\":30000,\"loadAverageBefore\":0.50,\"firstError\":null}";
    }
}
