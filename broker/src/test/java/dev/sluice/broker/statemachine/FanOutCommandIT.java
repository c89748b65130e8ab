package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.broker.service.ReceiveWaiters;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FAN_OUT command on a real data group (one node, Ratis and RocksDB): a batch whose copies are larger than one
 * entry may be is proposed as several commands within the store's proposal limit, an item too large alone is left
 * unchanged for the receive loop, and a batch proposed twice bills the SQS requests of its copies once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanOutCommandIT {
    private static final String LARGE = "x".repeat(250_000);
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static RaftStoreNode node;
    static ScheduledExecutorService timers;
    static EngineQueueClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().engines(index -> UnknownQueueCommandIT.engine()).baseDirectory(dir)
                .requestTimeout(RaftStoreConfig.MAX_REQUEST_TIMEOUT).start();
        cluster.awaitLeader(Duration.ofSeconds(60));
        node = cluster.node(0);
        timers = Executors.newSingleThreadScheduledExecutor();
        client = new EngineQueueClient(node.dataGroup(0), (QueueEngine) node.localEngine(0),
                new ReceiveWaiters(10, timers, timers), SqsLimits.defaults(), "000000000000", () -> "http://127.0.0.1",
                InstantSource.system());
    }

    @AfterAll
    static void stop() throws Exception {
        timers.shutdownNow();
        cluster.close();
    }

    private static List<FanOutItem.Status> statuses(List<FanOutItem.Outcome> outcomes) {
        return outcomes.stream().map(FanOutItem.Outcome::status).toList();
    }

    @Test
    void tenLargePublishesToThreeRawSubscribersAreFannedOutInCommandsWithinTheProposalLimit() throws Exception {
        FanOutCommands.create(node, "large-outbox", "la", "lb", "lc");
        List<Long> seqs = FanOutCommands.publish(node, "large-outbox", LARGE, 10);
        List<FanOutItem> items = FanOutCommands.fanOut("large-outbox", seqs, LARGE, List.of("la", "lb", "lc")).items();
        // As one command, 7.5 MB: past what the store takes in one entry (maxProposalBytes + 2 MiB).
        assertTrue(QueueCommandCodec.encode(new QueueCommand.FanOut("large-outbox", "000000000000", items)).length
                > node.config().maxProposalBytes() + (2 << 20));

        List<FanOutItem.Outcome> outcomes = client.fanOut("large-outbox", "000000000000", items).get(90, TimeUnit.SECONDS);

        assertEquals(java.util.Collections.nCopies(10, FanOutItem.Status.TAKEN), statuses(outcomes));
        for (String queue : List.of("la", "lb", "lc")) {
            assertEquals(10, FanOutCommands.peek(node, queue, 20).size(), "copies in " + queue);
        }
        assertTrue(FanOutCommands.peek(node, "large-outbox", 20).isEmpty());
    }

    @Test
    void anItemWhoseCopiesAloneExceedTheProposalLimitIsLeftUnchangedAndSoIsEveryLaterOne() throws Exception {
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            queues.add("wide-q" + i);
        }
        FanOutCommands.create(node, "wide-outbox");
        FanOutCommands.create(node, queues.toArray(String[]::new));
        FanOutCommands.publish(node, "wide-outbox", LARGE, 1);
        FanOutCommands.publish(node, "wide-outbox", "small", 1);
        List<Long> seqs = FanOutCommands.peek(node, "wide-outbox", 2).stream()
                .map(dev.sluice.broker.core.PeekedMessage::seq).toList();
        List<FanOutItem> wide = FanOutCommands.fanOut("wide-outbox", seqs.subList(0, 1), LARGE, queues).items();
        List<FanOutItem> items = new ArrayList<>(wide);
        items.addAll(FanOutCommands.fanOut("wide-outbox", seqs.subList(1, 2), "small", List.of("wide-q0")).items());

        List<FanOutItem.Outcome> outcomes = client.fanOut("wide-outbox", "000000000000", items).get(60, TimeUnit.SECONDS);

        assertEquals(List.of(FanOutItem.Status.LEFT, FanOutItem.Status.LEFT), statuses(outcomes));
        assertEquals(2, FanOutCommands.peek(node, "wide-outbox", 20).size(), "both still in the outbox, unchanged");
        assertTrue(FanOutCommands.peek(node, "wide-q0", 20).isEmpty());
    }

    private static long sqsRequests() throws Exception {
        List<UsageRow> rows = QueueResultCodec.getUsage(QueueResultCodec.open(node.dataGroup(0)
                .query(QueueQueryCodec.encode(new QueueQuery.Usage("", 0, Long.MAX_VALUE)))
                .get(30, TimeUnit.SECONDS))).rows();
        return rows.stream().filter(row -> row.kind() == UsageKind.SQS_REQUESTS).mapToLong(UsageRow::amount).sum();
    }

    @Test
    void aFanOutWhoseItemsWereAllSkippedBillsNoSqsRequests() throws Exception {
        FanOutCommands.create(node, "outbox", "a", "b");
        List<Long> seqs = FanOutCommands.publish(node, "outbox", "published", 3);
        QueueCommand.FanOut fanOut = FanOutCommands.fanOut("outbox", seqs, "copy", List.of("a", "b"));
        long beforeFanOut = sqsRequests();
        FanOutCommands.submit(node, fanOut, 30);
        long afterFirst = sqsRequests();
        assertEquals(beforeFanOut + 2, afterFirst, "the taken items' copies: one send to a and one to b");

        // The same batch proposed again (a replay, another node's poller): nothing is stored twice...
        List<FanOutItem.Outcome> again = QueueResultCodec.getFanOutOutcomes(QueueResultCodec.open(
                FanOutCommands.submit(node, fanOut, 30)));
        assertEquals(List.of(FanOutItem.Status.SKIPPED, FanOutItem.Status.SKIPPED, FanOutItem.Status.SKIPPED),
                statuses(again));

        // ...and nothing is billed twice.
        assertEquals(afterFirst, sqsRequests(), "SQS requests billed for copies nobody sent");
    }
}
