package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Work that crosses data groups, on three Sluice processes with six data groups, while the leaders of the groups
 * involved are SIGKILLed mid-operation and restarted, source group first, then destination group: dead-letter redrive
 * from a standard and a FIFO queue into dead-letter queues in another group, then those dead-letter queues migrating
 * to a third group (the standard one by drain, the FIFO one by copy) while dead-lettering goes on; a message move task
 * from a dead-letter queue back to its source in another group; one partition of a partitioned standard queue moving to
 * another group, then the partition count lowered by one. The scenarios share one cluster start, each with its own
 * {@link QueueHistory}: nothing acknowledged is lost, nothing deleted comes back, FIFO order per message group holds
 * (in the FIFO dead-letter queue too), extra copies from a move are counted and allowed (at-least-once).
 */
@Tag("fault")
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class CrossGroupFaultsClusterIT {
    private static final int NODES = 3;
    private static final int DATA_GROUPS = 6;
    /** Consumers of a source queue leave every third receive undeleted: with maxReceiveCount 1 or 2, those dead-letter. */
    private static final int ABANDON_EVERY = 3;
    /**
     * Message groups of the FIFO source (and its dead-letter queue). Each abandoned receive locks one group for the
     * visibility timeout, so a FIFO consumer that abandons every third receive serves about groups x 30 messages per
     * {@value Workload#VISIBILITY_SECONDS} s: with 3 groups 18 msg/s, below the producer's ~40, and the drain fell by
     * 18 msg/s from a 2,600-message backlog until it timed out. With 12 it outpaces the producer.
     */
    private static final int SOURCE_FIFO_GROUPS = 12;
    /**
     * With {@link #MOVE_BACKLOG}: slow enough that the move is still running while both leaders are killed. A task ends
     * once it moved the backlog it counted at its start, so the backlog, not the source's dead-lettering, sets how long.
     */
    private static final int MOVE_MESSAGES_PER_SECOND = 1;
    /** Dead letters awaited (within {@link #BACKLOG_BOUND}) before the move starts: about a minute of moving at that rate. */
    private static final int MOVE_BACKLOG = 60;
    private static final Duration BACKLOG_BOUND = Duration.ofSeconds(60);
    private static final Duration MOVE_BOUND = Duration.ofSeconds(240);
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(90);
    /** How long a killed leader's node stays down: some scenarios have one producer, whose groups it may lead. */
    private static final Duration DOWN = Duration.ofSeconds(10);

    private final long startedAt = System.nanoTime();
    private ClusterScenario scenario;

    @BeforeAll
    void startTheCluster() throws Exception {
        scenario = ClusterScenario.start(NODES, DATA_GROUPS);
        System.out.printf("cluster of %d nodes up after %d ms%n", NODES, elapsedMillis());
    }

    @BeforeEach
    void beginARound() throws InterruptedException {
        scenario.nextRound();
    }

    @AfterAll
    void stopTheCluster() throws Exception {
        if (scenario != null) {
            // The nodes' whole logs outlive the cluster (which deletes its directory): the failure message has only tails.
            scenario.keepLogs(java.nio.file.Path.of("target", "cross-group-faults-logs"));
            scenario.close();
        }
        System.out.printf("CrossGroupFaultsClusterIT took %d ms%n", elapsedMillis());
    }

    @Test
    void a_deadLettersCrossingGroupsAndTheirQueuesMigrationsLoseNothingWhenTheLeadersOfTheGroupsInvolvedAreKilled()
            throws Exception {
        TrackedQueue dead = scenario.createStandard("dead", 0);
        TrackedQueue deadFifo = scenario.createFifo("dead.fifo", SOURCE_FIFO_GROUPS, 1);
        TrackedQueue redriven = createWithDeadLetters("redriven", dead, 2, 2);
        String sources = scenario.groupsOf("redriven").get(0);
        TrackedQueue redrivenFifo = createWithDeadLetters("redriven.fifo", deadFifo, 1, 0);
        scenario.placeIn("redriven.fifo", sources);
        String deadLetters = scenario.aGroupLedElsewhere(DATA_GROUPS, sources);
        scenario.placeIn("dead", deadLetters);
        scenario.placeIn("dead.fifo", deadLetters);
        System.out.printf("sources in %s, dead-letter queues in %s; leaders %s%n", sources, deadLetters,
                scenario.leaders(DATA_GROUPS));
        scenario.history().mayLeave("redriven", "dead");
        scenario.history().mayLeave("redriven.fifo", "dead.fifo");

        int node = 0;
        for (TrackedQueue source : List.of(redriven, redrivenFifo)) {
            scenario.workload().produce(source, node++ % NODES);
            scenario.workload().consume(source, node++ % NODES, ABANDON_EVERY);
        }
        scenario.workload().consume(dead, node++ % NODES);
        scenario.workload().consume(deadFifo, node % NODES);
        scenario.runFor(Duration.ofSeconds(4));
        scenario.killLeaderAndRestart(sources, DOWN);
        scenario.killLeaderAndRestart(deadLetters, DOWN);

        // The dead-letter queues move on while their sources keep dead-lettering into them.
        String target = scenario.aGroupLedElsewhere(DATA_GROUPS, sources, deadLetters);
        scenario.migrate("dead", null, target);
        scenario.migrate("dead.fifo", null, target);
        scenario.killLeaderAndRestart(deadLetters, DOWN);
        scenario.killLeaderAndRestart(target, DOWN);
        JsonObject drained = scenario.awaitMigration("dead");
        JsonObject copied = scenario.awaitMigration("dead.fifo");
        scenario.runFor(Duration.ofSeconds(3));

        QueueHistory.Report report = scenario.finish(DRAIN_BOUND);
        System.out.printf("migrations %s and %s; %s after %d ms%n", drained, copied, report, elapsedMillis());
        assertTrue(report.valid(), report + scenario.logTails());
        scenario.awaitGroups("dead", List.of(target));
        scenario.awaitGroups("dead.fifo", List.of(target));
        assertTrue(scenario.history().deliveriesFrom("dead") > 0, "standard messages dead-lettered");
        assertTrue(scenario.history().deliveriesFrom("dead.fifo") > 0, "FIFO messages dead-lettered");
    }

    @Test
    void b_aMessageMoveTaskBetweenGroupsCompletesWhenTheLeadersOfBothGroupsAreKilledMidMove() throws Exception {
        TrackedQueue parked = scenario.createStandard("parked", 2);
        TrackedQueue returning = createWithDeadLetters("returning", parked, 1, 0);
        String source = scenario.groupsOf("returning").get(0);
        String dlq = scenario.aGroupLedElsewhere(DATA_GROUPS, source);
        scenario.placeIn("parked", dlq);
        scenario.history().mayLeave("returning", "parked");
        scenario.workload().produce(returning, 0);
        scenario.workload().consume(returning, 1, 2);
        // Nobody consumes the dead-letter queue until the move is over: a backlog builds up there for it.
        scenario.runFor(Duration.ofSeconds(8));
        awaitBacklog(parked);

        String parkedArn = arnOf(parked);
        String task;
        try (SqsClient sqs = scenario.sqs(scenario.aRunningNode())) {
            task = sqs.startMessageMoveTask(b -> b.sourceArn(parkedArn)
                    .maxNumberOfMessagesPerSecond(MOVE_MESSAGES_PER_SECOND)).taskHandle();
            System.out.println("move task started: " + moveTask(sqs, parkedArn));
        }
        // The move task lives in the dead-letter queue's group and sends into the source's group.
        scenario.killLeaderAndRestart(dlq, DOWN);
        scenario.killLeaderAndRestart(source, DOWN);
        try (SqsClient sqs = scenario.sqs(scenario.aRunningNode())) {
            // RUNNING here means both kills landed mid-move; a loaded machine may have finished it sooner.
            System.out.println("move task after both kills: " + moveTask(sqs, parkedArn));
        }
        ListMessageMoveTasksResultEntry ended = awaitMoveTask(parkedArn);
        System.out.println("move task " + task + " ended: " + ended);
        // The source dead-letters faster than the task moves, so the task ends by its count, not by an empty queue:
        // it moves the backlog it counted at its start (ApproximateNumberOfMessagesToMove) and leaves what arrived
        // since for the consumer below (see MoveTasks#step for SQS's wording).
        assertEquals("COMPLETED", ended.status(), ended.toString());
        assertTrue(ended.approximateNumberOfMessagesToMove() > 0, ended.toString());
        assertEquals(ended.approximateNumberOfMessagesToMove(), ended.approximateNumberOfMessagesMoved(), ended.toString());
        scenario.workload().consume(parked, 2);

        QueueHistory.Report report = scenario.finish(DRAIN_BOUND);
        System.out.printf("%s after %d ms%n", report, elapsedMillis());
        assertTrue(report.valid(), report + scenario.logTails());
    }

    @Test
    void c_aPartitionMovesAndThePartitionCountDropsByOneWhenTheLeadersOfTheGroupsInvolvedAreKilled() throws Exception {
        TrackedQueue spread = scenario.createStandard("spread", 0);
        List<String> before = groups(scenario.operator(1, "PUT", "/v1/queues/spread/partitions", "{\"count\":3}"));
        assertEquals(3, before.size());
        scenario.workload().produce(spread, 0);
        scenario.workload().produce(spread, 1);
        scenario.workload().consume(spread, 1);
        scenario.workload().consume(spread, 2);
        scenario.runFor(Duration.ofSeconds(3));

        String from = before.get(1);
        String to = scenario.aGroupLedElsewhere(DATA_GROUPS, before.toArray(String[]::new));
        assertEquals("RUNNING", scenario.migrate("spread", from, to).getString("state"));
        scenario.killLeaderAndRestart(from, DOWN);
        scenario.killLeaderAndRestart(to, DOWN);
        JsonObject moved = scenario.awaitMigration("spread");
        List<String> afterMove = List.of(before.get(0), to, before.get(2));
        scenario.awaitGroups("spread", afterMove);

        assertEquals(afterMove, groups(scenario.operator(scenario.aRunningNode(), "PUT", "/v1/queues/spread/partitions",
                "{\"count\":2}")), "the removed partition is listed while it drains");
        JsonObject lowering = scenario.operator(scenario.aRunningNode(), "GET", "/v1/queues/spread/migrate", null);
        System.out.println("lowering the partition count: " + lowering);
        assertEquals(afterMove.get(2), lowering.getString("fromGroup"));
        scenario.killLeaderAndRestart(lowering.getString("fromGroup"), DOWN);
        scenario.killLeaderAndRestart(lowering.getString("toGroup"), DOWN);
        JsonObject lowered = scenario.awaitMigration("spread");

        QueueHistory.Report report = scenario.finish(DRAIN_BOUND);
        System.out.printf("moved %s, lowered %s; %s after %d ms%n", moved, lowered, report, elapsedMillis());
        assertTrue(report.valid(), report + scenario.logTails());
        scenario.awaitGroups("spread", afterMove.subList(0, 2));
    }

    /** A queue like {@code deadLetters} (standard or FIFO) that dead-letters into it after {@code maxReceiveCount} receives. */
    private TrackedQueue createWithDeadLetters(String name, TrackedQueue deadLetters, int maxReceiveCount, int viaNode)
            throws Exception {
        String policy = new JsonObject().put("deadLetterTargetArn", arnOf(deadLetters))
                .put("maxReceiveCount", String.valueOf(maxReceiveCount)).encode();
        Map<QueueAttributeName, String> attributes = deadLetters.fifo()
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.REDRIVE_POLICY, policy)
                : Map.of(QueueAttributeName.REDRIVE_POLICY, policy);
        return scenario.create(name, attributes, deadLetters.messageGroups(), viaNode);
    }

    private static List<String> groups(JsonObject queue) {
        return queue.getJsonArray("groups").stream().map(String.class::cast).toList();
    }

    private String arnOf(TrackedQueue queue) {
        try (SqsClient sqs = scenario.sqs(scenario.aRunningNode())) {
            return sqs.getQueueAttributes(b -> b.queueUrl(queue.url()).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        }
    }

    private static ListMessageMoveTasksResultEntry moveTask(SqsClient sqs, String sourceArn) {
        return sqs.listMessageMoveTasks(b -> b.sourceArn(sourceArn).maxResults(1)).results().get(0);
    }

    /** Waits within {@link #BACKLOG_BOUND} until {@code queue} holds {@link #MOVE_BACKLOG} messages, then goes on anyway. */
    private void awaitBacklog(TrackedQueue queue) throws Exception {
        long deadline = System.nanoTime() + BACKLOG_BOUND.toNanos();
        long depth = 0;
        while (System.nanoTime() < deadline) {
            try (SqsClient sqs = scenario.sqs(scenario.aRunningNode())) {
                depth = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queue.url())
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            }
            if (depth >= MOVE_BACKLOG) {
                break;
            }
            Thread.sleep(1_000);
        }
        System.out.println("dead-letter backlog before the move: " + depth);
    }

    /** Waits within {@link #MOVE_BOUND} until the newest move task of {@code sourceArn} is no longer RUNNING. */
    private ListMessageMoveTasksResultEntry awaitMoveTask(String sourceArn) throws Exception {
        long deadline = System.nanoTime() + MOVE_BOUND.toNanos();
        ListMessageMoveTasksResultEntry task = null;
        while (System.nanoTime() < deadline) {
            try (SqsClient sqs = scenario.sqs(scenario.aRunningNode())) {
                task = moveTask(sqs, sourceArn);
            }
            if (!task.status().equals("RUNNING")) {
                return task;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("move task still running after " + MOVE_BOUND + ": " + task + scenario.logTails());
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }
}
