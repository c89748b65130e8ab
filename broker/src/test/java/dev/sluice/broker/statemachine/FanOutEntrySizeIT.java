package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * REVIEW (fanout4): one FAN_OUT carries every copy of a batch: 10 outbox messages x their subscriptions x up to 256 KB.
 * Ten 250 KB publishes to a topic with three raw sqs subscriptions make a 7.5 MB command, over the Raft
 * log buffer limit (maxProposalBytes 4 MiB + 2 MiB): Ratis refuses the entry ("Log entry size 7502722 exceeds the max
 * buffer limit of 6291456"), on one node as on three. The poller then proposes the same batch again, forever.
 * Fails on fanout4 by design.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanOutEntrySizeIT {
    @TempDir
    Path dir;

    @Test
    void aBatchOfTenLargePublishesToThreeRawSubscribersIsFannedOut() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().engines(index -> UnknownQueueCommandIT.engine())
                .baseDirectory(dir).requestTimeout(Duration.ofSeconds(60)).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            RaftStoreNode node = cluster.node(0);
            FanOutCommands.create(node, "outbox", "a", "b", "c");
            String body = "x".repeat(250_000);
            List<Long> seqs = FanOutCommands.publish(node, "outbox", body, 10);
            assertEquals(10, seqs.size());
            QueueCommand.FanOut fanOut = FanOutCommands.fanOut("outbox", seqs, body, List.of("a", "b", "c"));
            assertTrue(QueueCommandCodec.encode(fanOut).length > 7_000_000, "the command a poller proposes");

            List<FanOutItem.Outcome> outcomes = QueueResultCodec.getFanOutOutcomes(QueueResultCodec.open(
                    FanOutCommands.submit(node, fanOut, 90)));

            assertTrue(outcomes.stream().allMatch(outcome -> outcome.status() == FanOutItem.Status.TAKEN));
            // And the group still takes writes after it.
            QueueResultCodec.open(FanOutCommands.submit(node,
                    new QueueCommand.CreateQueue("after", Map.of(), Map.of()), 30));
        }
    }
}
