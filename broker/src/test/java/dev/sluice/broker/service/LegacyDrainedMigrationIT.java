package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.raftstore.catalog.Catalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration an earlier release left DRAINED (the placement names the new group alone, the old group's queue was
 * waiting out every node's cached placement) is finished without that wait: the old queue is fenced and deleted if
 * empty, or, holding a late message, drained again first. Records written by hand as the earlier release wrote them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LegacyDrainedMigrationIT {

    private static Migration await(Catalog catalog, String name, State wanted) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Migration migration = null;
        while (System.nanoTime() < until) {
            migration = QueueMigrations.decode(catalog.get(QueueMigrations.NAMESPACE, StaleNode.ACCOUNT + "/" + name).join()
                    .orElseThrow());
            if (migration.state() == wanted) {
                return migration;
            }
            Thread.sleep(100);
        }
        return migration;
    }

    @Test
    void aDrainedMigrationFromAnEarlierReleaseFinishesWithoutWaitingForCachesAndDrainsALateMessageFirst(
            @TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
                StaleNode node = new StaleNode(server.sluice())) {
            Catalog catalog = server.sluice().node().catalog();
            String emptyUrl = server.sqs().createQueue(b -> b.queueName("legacy-empty")).queueUrl();
            String lateUrl = server.sqs().createQueue(b -> b.queueName("legacy-late")).queueUrl();
            server.sqs().sendMessage(b -> b.queueUrl(lateUrl).messageBody("late"));
            long now = System.currentTimeMillis();
            int[] targets = new int[2];
            String[] names = {"legacy-empty", "legacy-late"};
            for (int i = 0; i < 2; i++) {
                int from = node.cached(names[i]).home();
                int to = (from + 1) % 4;
                targets[i] = to;
                node.group(to).createQueue(new CreateQueueRequest(names[i], Map.of(), Map.of())).join();
                catalog.put(QueuePlacement.NAMESPACE, StaleNode.ACCOUNT + "/" + names[i],
                        QueuePlacement.encode(Placement.single(to))).join();
                catalog.put(QueueMigrations.NAMESPACE, StaleNode.ACCOUNT + "/" + names[i], QueueMigrations.encode(
                        new Migration(names[i], from, to, State.DRAINED, 0, now - 1_000, now))).join();
            }

            Migration empty = await(catalog, "legacy-empty", State.COMPLETED);
            Migration late = await(catalog, "legacy-late", State.COMPLETED);

            assertEquals(State.COMPLETED, empty.state(), "no wait of 20 s for cached placements");
            assertEquals(State.COMPLETED, late.state());
            boolean emptyLeft = node.engine(empty.fromGroup()).read(book -> book.exists("legacy-empty"));
            boolean lateLeft = node.engine(late.fromGroup()).read(book -> book.exists("legacy-late"));
            assertFalse(emptyLeft, "the old group's empty queue was deleted");
            assertFalse(lateLeft, "the old group's queue was deleted once drained");
            assertEquals(1, node.messagesIn(targets[1], "legacy-late"), "the late message was moved, not dropped");
            assertEquals(Placement.single(targets[1]), QueuePlacement.decode(catalog.get(QueuePlacement.NAMESPACE,
                    StaleNode.ACCOUNT + "/legacy-late").join().orElseThrow()));
            assertEquals(emptyUrl.replace("legacy-empty", ""), lateUrl.replace("legacy-late", ""));
        }
    }
}
