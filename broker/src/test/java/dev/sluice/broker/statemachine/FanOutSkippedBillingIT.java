package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fan-out bills the SQS requests of the copies it took only: the same batch proposed again (a replay, or a poller on
 * another node that read the same outbox messages) skips every item and bills nothing, as no send of them happened
 * (the engine bills a fan-out's copies after its apply, by the items it took).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanOutSkippedBillingIT {
    @TempDir
    Path dir;

    private static long sqsRequests(RaftStoreNode node) throws Exception {
        List<UsageRow> rows = QueueResultCodec.getUsage(QueueResultCodec.open(node.dataGroup(0)
                .query(QueueQueryCodec.encode(new QueueQuery.Usage("", 0, Long.MAX_VALUE)))
                .get(30, TimeUnit.SECONDS))).rows();
        return rows.stream().filter(row -> row.kind() == UsageKind.SQS_REQUESTS).mapToLong(UsageRow::amount).sum();
    }

    @Test
    void aFanOutWhoseItemsWereAllSkippedBillsNoSqsRequests() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().engines(index -> UnknownQueueCommandIT.engine())
                .baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            FanOutCommands.create(node, "outbox", "a", "b");
            List<Long> seqs = FanOutCommands.publish(node, "outbox", "published", 3);
            QueueCommand.FanOut fanOut = FanOutCommands.fanOut("outbox", seqs, "copy", List.of("a", "b"));
            long beforeFanOut = sqsRequests(node);
            FanOutCommands.submit(node, fanOut, 30);
            long afterFirst = sqsRequests(node);
            assertEquals(beforeFanOut + 2, afterFirst, "the taken items' copies: one send to a and one to b");

            // The same batch proposed by a poller on another node: nothing is stored twice...
            List<FanOutItem.Outcome> again = QueueResultCodec.getFanOutOutcomes(QueueResultCodec.open(
                    FanOutCommands.submit(node, fanOut, 30)));
            assertEquals(List.of(FanOutItem.Status.SKIPPED, FanOutItem.Status.SKIPPED, FanOutItem.Status.SKIPPED),
                    again.stream().map(FanOutItem.Outcome::status).toList());

            // ...and nothing is billed twice.
            assertEquals(afterFirst, sqsRequests(node), "SQS requests billed for copies nobody sent");
        }
    }
}
