package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Queues whose layout spans groups, on three Sluice processes with six data groups, while the leaders of the groups
 * involved are SIGKILLed and restarted: a standard queue migrating from one group to another (the source group's
 * leader is killed right after the migration starts, then the destination group's leader), a standard queue
 * partitioned over all six groups and a high-throughput FIFO queue partitioned over three, under the same kills
 * (each kill hits a partition of each). Checked by one {@link QueueHistory}: nothing acknowledged is lost, nothing
 * deleted comes back, FIFO order per message group holds.
 */
@Tag("fault")
@Tag("cluster")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueueLayoutClusterIT {
    @Test
    void aMigratingQueueAndPartitionedQueuesLoseNothingWhenTheLeadersOfTheirGroupsAreKilled() throws Exception {
        long began = System.nanoTime();
        try (ClusterScenario scenario = ClusterScenario.start(3, 6)) {
            TrackedQueue migrating = scenario.createStandard("migrating", 0);
            String from = scenario.groupsOf("migrating").get(0);
            TrackedQueue partitioned = scenario.createStandard("partitioned", 1);
            scenario.operator(2, "PUT", "/v1/queues/partitioned/partitions", "{\"count\":6}");
            assertEquals(6, scenario.groupsOf("partitioned").size());
            TrackedQueue partitionedFifo = scenario.create("partitioned.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                    QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"), 6, 2);
            scenario.operator(0, "PUT", "/v1/queues/partitioned.fifo/partitions", "{\"count\":3}");
            assertEquals(3, scenario.groupsOf("partitioned.fifo").size());

            List<TrackedQueue> queues = List.of(migrating, partitioned, partitionedFifo);
            for (int i = 0; i < queues.size(); i++) {
                scenario.workload().produce(queues.get(i), i % 3);
                if (queues.get(i) != migrating) {
                    scenario.workload().consume(queues.get(i), (i + 1) % 3);
                    scenario.workload().consume(queues.get(i), (i + 2) % 3);
                }
            }
            // The migrating queue's consumers start only once the source group's leader was killed and is back: till
            // then a backlog waits in the source group for the migration to move, across that leader's death.
            scenario.runFor(Duration.ofSeconds(3));

            String to = scenario.aGroupLedElsewhere(6, from);
            JsonObject started = scenario.operator(1, "POST", "/v1/queues/migrating/migrate",
                    new JsonObject().put("toGroup", to).encode());
            System.out.printf("migration of 'migrating' from %s to %s: %s%n", from, to, started);
            assertEquals("RUNNING", started.getString("state"));
            scenario.killLeaderAndRestart(from);
            scenario.workload().consume(migrating, 1);
            scenario.workload().consume(migrating, 2);
            scenario.killLeaderAndRestart(to);
            JsonObject migration = scenario.awaitMigration("migrating");

            QueueHistory.Report report = scenario.finish(Duration.ofSeconds(60));
            System.out.printf("migration %s; partitioned %s and %s; %s in %d ms%n", migration,
                    scenario.groupsOf("partitioned"), scenario.groupsOf("partitioned.fifo"), report,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            assertTrue(report.valid(), report + scenario.logTails());
            assertEquals(List.of(to), scenario.groupsOf("migrating"), "the migrated queue lives in its new group only");
            assertTrue(migration.getLong("moved") > 0, "the migration moved messages: " + migration);
        }
    }
}
