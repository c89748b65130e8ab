package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A queue's layout is durable replicated state: a server restarted on its files (RocksDB, Raft log) still holds it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueLayoutRestartIT {
    private static final QueueLayout FENCED_PARTITION = new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 1, 3);

    @Test
    void aFencedPartitionIsStillFencedAfterTheServerRestarts(@TempDir Path directory) throws Exception {
        int group;
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
                StaleNode node = new StaleNode(server.sluice())) {
            server.sqs().createQueue(b -> b.queueName("orders.fifo").attributes(java.util.Map.of(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true")));
            group = node.cached("orders.fifo").home();
            node.group(group).setLayout("orders.fifo", FENCED_PARTITION).join();
        }
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
                StaleNode node = new StaleNode(server.sluice())) {
            assertEquals(FENCED_PARTITION, node.engine(group).read(book -> book.layout("orders.fifo")));
            CompletionException refused = assertThrows(CompletionException.class, () -> node.group(group).sendMessage(
                    new dev.sluice.clientsdk.model.SendMessageRequest(node.urlOf("orders.fifo"), "late", null, null, null,
                            "late", "customer-1")).join());
            assertEquals(SqsError.QUEUE_MOVED, ((SqsException) refused.getCause()).error());
            node.group(group).setLayout("orders.fifo", QueueLayout.OPEN).join();
            assertEquals(List.of(), node.group(group).receiveMessage(new dev.sluice.clientsdk.model.ReceiveMessageRequest(
                    node.urlOf("orders.fifo"), null, null, null, 1, null, 0, null)).join().messages());
        }
    }
}
