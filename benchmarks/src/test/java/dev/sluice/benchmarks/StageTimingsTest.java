package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StageTimingsTest {
    @Test
    void aStageLineGivesTheCountAndNearestRankPercentilesInMicroseconds() {
        // 1..100 microseconds, out of order: p50 = 50, p90 = 90, p99 = 99, max = 100.
        List<Long> nanos = LongStream.rangeClosed(1, 100).map(i -> (101 - i) * 1_000).boxed().toList();
        assertEquals("stage raft.write                 n=    100  p50     50.0  p90     90.0  p99     99.0  max     100.0 us",
                StageTimings.line("raft.write", nanos));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        assertEquals("stage sqs.server                 n=      1  p50      2.5  p90      2.5  p99      2.5  max       2.5 us",
                StageTimings.line("sqs.server", List.of(2_500L)));
    }
}
