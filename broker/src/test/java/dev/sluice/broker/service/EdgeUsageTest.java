package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Empty receives counted at the edge reach the log once: a failed flush is proposed again unchanged. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EdgeUsageTest {
    private static final long HOUR = 3_600_000L;

    private final List<QueueCommand.RecordUsage> proposed = new ArrayList<>();
    private boolean failNext;

    private CompletableFuture<Boolean> record(QueueCommand.RecordUsage flush) {
        proposed.add(flush);
        if (failNext) {
            failNext = false;
            return CompletableFuture.failedFuture(new IllegalStateException("no leader"));
        }
        return CompletableFuture.completedFuture(true);
    }

    @Test
    void aFailedFlushIsProposedAgainWithItsSequenceAndNewCountsWaitForTheNext() {
        EdgeUsage edge = new EdgeUsage("n1", () -> Instant.ofEpochMilli(5 * HOUR + 10), this::record,
                () -> CompletableFuture.completedFuture(true));
        edge.flush().join();
        assertEquals(List.of(), proposed, "nothing counted, nothing proposed");

        edge.emptyReceive("http://127.0.0.1:9324/111111111111/jobs");
        edge.emptyReceive("http://127.0.0.1:9324/111111111111/jobs");
        edge.emptyReceive("http://127.0.0.1:9324/000000000000/sluice-internal-topic-3");
        edge.emptyReceive("not a queue url");
        failNext = true;
        edge.flush().join();
        edge.emptyReceive("http://127.0.0.1:9324/222222222222/jobs");
        edge.flush().join();
        edge.flush().join();

        List<UsageRow> first = List.of(new UsageRow("111111111111", 5 * HOUR, UsageKind.SQS_REQUESTS, 2));
        assertEquals(3, proposed.size(), proposed.toString());
        assertEquals(proposed.get(0), proposed.get(1), "the failed flush again, unchanged");
        assertEquals(first, proposed.get(0).rows());
        assertEquals(1, proposed.get(0).sequence());
        assertEquals(2, proposed.get(2).sequence());
        assertEquals(List.of(new UsageRow("222222222222", 5 * HOUR, UsageKind.SQS_REQUESTS, 1)), proposed.get(2).rows());
    }

    @Test
    void whileANodeDoesNotKnowRecordUsageNothingIsProposedAndTheCountsWaitWhole() {
        boolean[] everyNodeKnowsIt = {false};
        EdgeUsage edge = new EdgeUsage("n1", () -> Instant.ofEpochMilli(5 * HOUR + 10), this::record,
                () -> CompletableFuture.completedFuture(everyNodeKnowsIt[0]));
        edge.emptyReceive("http://127.0.0.1:9324/111111111111/jobs");
        edge.record("111111111111", UsageKind.FUNCTION_INVOCATIONS, 3);
        edge.flush().join();
        edge.emptyReceive("http://127.0.0.1:9324/111111111111/jobs");
        edge.flush().join();
        assertEquals(List.of(), proposed, "held back while an older node is in the cluster");
        assertEquals(2, edge.bufferedRows(), "one row per account, hour and kind");

        everyNodeKnowsIt[0] = true;
        edge.flush().join();

        assertEquals(1, proposed.size(), proposed.toString());
        assertEquals(List.of(new UsageRow("111111111111", 5 * HOUR, UsageKind.SQS_REQUESTS, 2),
                new UsageRow("111111111111", 5 * HOUR, UsageKind.FUNCTION_INVOCATIONS, 3)), proposed.get(0).rows());
        assertEquals(0, edge.bufferedRows());
    }

    @Test
    void aLevelThatCannotBeReadHoldsTheFlushBackToo() {
        EdgeUsage edge = new EdgeUsage("n1", () -> Instant.ofEpochMilli(5 * HOUR + 10), this::record,
                () -> CompletableFuture.failedFuture(new IllegalStateException("catalog has no leader")));
        edge.emptyReceive("http://127.0.0.1:9324/111111111111/jobs");
        edge.flush().join();
        assertEquals(List.of(), proposed);
        assertEquals(1, edge.bufferedRows());
    }
}
