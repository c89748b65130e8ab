package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RaftBenchTableTest {

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
