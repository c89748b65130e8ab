package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadReportTest {

    private static final LoadOptions OPTIONS = LoadOptions.parse("--endpoint", "http://127.0.0.1:9324", "--queue", "bench");

    @Test
    void percentilesOfOneToTenThousandMicrosAreWithinHistogramPrecision() {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (long value = 1; value <= 10_000; value++) {
            micros.recordValue(value);
        }

        LatencySummary summary = LatencySummary.of(micros);

        assertEquals(10_000, summary.samples());
        assertEquals(5_000, summary.p50Micros(), 5_000 * 0.001);
        assertEquals(9_900, summary.p99Micros(), 9_900 * 0.001);
        assertEquals(10_000, summary.maxMicros(), 10_000 * 0.001);
    }

    @Test
    void aSingleSlowMessageMovesTheMaxButNotTheP99() {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 999; i++) {
            micros.recordValue(1_000);
        }
        micros.recordValue(2_000_000);

        LatencySummary summary = LatencySummary.of(micros);

        assertEquals(1_000, summary.p50Micros(), 1);
        assertEquals(1_000, summary.p99Micros(), 1);
        assertEquals(2_000_000, summary.maxMicros(), 2_000_000 * 0.001);
    }

    @Test
    void anEmptyHistogramSummarisesToZeros() {
        assertEquals(LatencySummary.EMPTY, LatencySummary.of(new Histogram(60_000_000L, 3)));
    }

    @Test
    void ratesAndCpuPerThousandMessagesComeFromTheWindow() {
        LoadReport report = report(OptionalLong.of(3_000), 2_500);

        assertEquals(1_000.0, report.sentPerSecond(), 1e-9);
        assertEquals(950.0, report.deletedPerSecond(), 1e-9);
        // 19,500 life-cycles: (20,000 sent + 19,000 deleted) / 2
        assertEquals(3_000 * 1000.0 / 19_500, report.serverCpuMillisPerThousand().getAsDouble(), 1e-9);
        assertEquals(2_500 * 1000.0 / 19_500, report.clientCpuMillisPerThousand().getAsDouble(), 1e-9);
        assertEquals(OptionalDouble.of(9.5), report.messagesPerReceive());
        assertEquals(10, report.backlog());
    }

    @Test
    void cpuPerThousandCountsASendAndAReceiveAndDeleteAsHalfAMessageEachWhenTheConsumersFallBehind() {
        // As issue 17 and peers/rabbitmq.sh count: 20,000 sent, 10,000 deleted = 15,000 life-cycles, not 20,000.
        LoadReport behind = new LoadReport(OPTIONS, 20.0, 20_000, 10_000, 1_000, 10_000, LatencySummary.EMPTY, 0,
                20_000, 10_000, 0, OptionalLong.of(3_000), Optional.empty(), 0, 0, 2, Optional.empty());

        assertEquals(OptionalDouble.of(200.0), behind.serverCpuMillisPerThousand());
    }

    @Test
    void cpuNotUsedByServerOrClientIsChargedToOtherProcesses() {
        assertEquals(9_000 - 3_000 - 2_500, report(OptionalLong.of(3_000), 2_500).otherCpuMillis());
        assertEquals(9_000 - 2_500, report(OptionalLong.empty(), 2_500).otherCpuMillis());
        assertEquals(40_000, report(OptionalLong.empty(), 2_500).capacityMillis());
    }

    @Test
    void cpuPerThousandIsAbsentWhenNothingWasSentOrNoServerWasSampled() {
        assertEquals(OptionalDouble.empty(), LoadReport.perThousandMessages(500, 0));
        assertEquals(OptionalDouble.empty(), report(OptionalLong.empty(), 10).serverCpuMillisPerThousand());
    }

    @Test
    void theJsonLineCarriesTheNumbersAndNullsWhatWasNotMeasured() {
        String sampled = report(OptionalLong.of(3_000), 2_500).toJson();
        assertTrue(sampled.startsWith("{\"benchmark\":\"sqs-e2e\","), sampled);
        assertTrue(sampled.contains("\"sentMsgsPerSec\":1000.0,\"receivedDeletedMsgsPerSec\":950.0"), sampled);
        assertTrue(sampled.contains("\"latencyP50Ms\":1.500,\"latencyP99Ms\":12.000"), sampled);
        assertTrue(sampled.contains("\"serverCpuMs\":3000,\"serverCpuMsPer1kMsgs\":153.8"
                + ",\"serverJitCpuMs\":1000,\"serverCpuMsPer1kMsgsWithoutJit\":102.6"
                + ",\"serverThreads\":\"busiest thread apply 40% of a core\""), sampled);
        assertTrue(sampled.contains("\"machineBusyMs\":9000,\"otherCpuMs\":3500,\"cpuCapacityMs\":40000"), sampled);
        assertTrue(sampled.endsWith("\"firstError\":\"QueueDoesNotExist (HTTP 400): \\\"q\\\" is gone\"}"), sampled);

        String unsampled = report(OptionalLong.empty(), 2_500).toJson();
        assertTrue(unsampled.contains("\"serverCpuMs\":null,\"serverCpuMsPer1kMsgs\":null,\"serverJitCpuMs\":null,\"serverCpuMsPer1kMsgsWithoutJit\":null,\"serverThreads\":null"), unsampled);
        assertEquals(1, unsampled.lines().count());
    }

    @Test
    void theJsonLineNamesTheConfigurationItsRepetitionAndTheQueues() {
        LoadOptions options = LoadOptions.parse("--endpoint", "http://127.0.0.1:9324", "--queue", "bench",
                "--queues", "8", "--producers", "8", "--consumers", "16", "--label", "data-groups=4", "--repetition", "3",
                "--queue-attribute", "Partitions=4");
        String json = new LoadReport(options, 20.0, 1, 1, 1, 1, LatencySummary.EMPTY, 0, 1, 1, 0,
                OptionalLong.empty(), Optional.empty(), 0, 0, 2, Optional.empty()).toJson();

        assertTrue(json.startsWith("{\"benchmark\":\"sqs-e2e\",\"label\":\"data-groups=4\",\"repetition\":3,"), json);
        assertTrue(json.contains("\"queue\":\"bench\",\"queues\":8,\"queueAttributes\":\"{Partitions=4}\""), json);
        assertTrue(report(OptionalLong.empty(), 1).toJson().contains("\"label\":null,\"repetition\":1,"));
    }

    @Test
    void theHumanLineSaysWhenTheServerWasNotSampled() {
        String line = report(OptionalLong.empty(), 2_500).toHumanLine();
        assertTrue(line.contains("sent 1000 msg/s, received+deleted 950 msg/s"), line);
        assertTrue(line.contains("server CPU not sampled"), line);
    }

    @Test
    void aWindowOfZeroSecondsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoadReport(OPTIONS,
                0.0, 0, 0, 0, 0, LatencySummary.EMPTY, 0, 0, 0, 0, OptionalLong.empty(), Optional.empty(), 0, 0, 2, Optional.empty()));
    }

    private static LoadReport report(OptionalLong serverCpuMillis, long clientCpuMillis) {
        return new LoadReport(OPTIONS,
                20.0, 20_000, 19_000, 2_000, 19_000,
                new LatencySummary(19_000, 1_500, 12_000, 40_000), 2,
                25_000, 24_990, 0, serverCpuMillis,
                serverCpuMillis.isPresent()
                        ? Optional.of(new ThreadCpuSnapshot.ThreadUse("busiest thread apply 40% of a core", 1_000)) : Optional.empty(), clientCpuMillis, 9_000, 2,
                Optional.of("QueueDoesNotExist (HTTP 400): \"q\" is gone"));
    }
}
