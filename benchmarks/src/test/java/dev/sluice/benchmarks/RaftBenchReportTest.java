package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RaftBenchReportTest {

    @Test
    void ratesGroupCommitFactorAndCpuPerThousandWritesComeFromTheWindow() {
        RaftBenchReport report = report(3, List.of(6_000L, 2_000L, 2_000L), 20_000, 500, 20_000);

        assertEquals(2_000.0, report.committedPerSecond(), 1e-9);
        assertEquals(50.0, report.entriesPerSecond(), 1e-9);
        assertEquals(OptionalDouble.of(40.0), report.commandsPerEntry());
        assertEquals(10_000, report.nodesCpuMillis());
        assertEquals(OptionalDouble.of(500.0), report.nodesCpuMillisPerThousand());
        assertEquals(OptionalDouble.of(150.0), report.clientCpuMillisPerThousand());
        assertEquals(20_000 - 10_000 - 3_000, report.otherCpuMillis());
        assertEquals(20_000, report.capacityMillis());
    }

    @Test
    void aRunThatCommittedNothingHasNoPerWriteFigures() {
        RaftBenchReport report = report(1, List.of(1_000L), 0, 0, 0);

        assertEquals(OptionalDouble.empty(), report.commandsPerEntry());
        assertEquals(OptionalDouble.empty(), report.nodesCpuMillisPerThousand());
        assertTrue(report.toJson().contains("\"commandsPerEntry\":null"), report.toJson());
        assertTrue(report.toJson().contains("\"nodesCpuMsPer1kWrites\":null"), report.toJson());
    }

    @Test
    void everyNodeNeedsACpuReading() {
        assertThrows(IllegalArgumentException.class, () -> report(3, List.of(1L, 2L), 1, 1, 1));
    }

    @Test
    void theJsonLineCarriesEveryFigureInAFixedOrder() {
        String json = report(3, List.of(6_000L, 2_000L, 2_000L), 20_000, 500, 20_000).toJson();

        assertEquals("{\"benchmark\":\"raft-commit\",\"nodes\":3,\"clients\":16,\"valueBytes\":100,\"leader\":\"n2\""
                + ",\"measuredSeconds\":10.000,\"committedPerSec\":2000.0,\"latencyP50Ms\":1.500,\"latencyP99Ms\":9.000"
                + ",\"latencyMaxMs\":20.000,\"committed\":20000,\"entriesPerSec\":50.0,\"commandsPerEntry\":40.00"
                + ",\"errors\":0,\"nodeCpuMs\":[6000,2000,2000],\"nodesCpuMsPer1kWrites\":500.0,\"clientCpuMs\":3000"
                + ",\"clientCpuMsPer1kWrites\":150.0,\"machineBusyMs\":20000,\"otherCpuMs\":7000,\"cpuCapacityMs\":20000"
                + ",\"loadAverageBefore\":0.50,\"firstError\":null}", json);
    }

    @Test
    void theJsonLineReadsBackThroughTheTable() {
        String json = report(3, List.of(6_000L, 2_000L, 2_000L), 20_000, 500, 20_000).toJson();

        assertEquals(2_000.0, SummaryLines.number(json, "committedPerSec"), 1e-9);
        assertEquals(40.0, SummaryLines.number(json, "commandsPerEntry"), 1e-9);
        assertEquals(1.5, SummaryLines.number(json, "latencyP50Ms"), 1e-9);
    }

    private static RaftBenchReport report(int nodes, List<Long> nodeCpu, long committed, long entries, long entryCommands) {
        return new RaftBenchReport(nodes, 16, 100, "n2", 10.0, committed,
                new LatencySummary(committed, 1_500, 9_000, 20_000), entries, entryCommands,
                0, nodeCpu, 3_000, 20_000, 2, 0.5, Optional.empty());
    }
}
