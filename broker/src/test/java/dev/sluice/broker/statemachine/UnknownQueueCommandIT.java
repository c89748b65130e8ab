package dev.sluice.broker.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommandType;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log entry the queue engine cannot read (a command code no release assigned, or a frame format
 * this release does not know) stops the node's group, as any corrupt entry does: it is never
 * skipped and never answered OK.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnknownQueueCommandIT {
    @TempDir
    Path dir;

    static QueueEngine engine() {
        SqsLimits limits = SqsLimits.defaults();
        return new QueueEngine(new QueueAttributeCodec(limits.queueAttributeBounds()), "us-east-1", "000000000000",
                limits.engineLimits(), name -> { });
    }

    private static int unknownCode() {
        return Arrays.stream(QueueCommandType.values()).mapToInt(QueueCommandType::code).max().orElseThrow() + 1;
    }

    @Test
    void anEntryWithAnUnknownCommandCodeStopsTheNode() throws Exception {
        byte[] frame = CommandFrame.writer(unknownCode()).putString("alerts").toByteArray();
        assertStopsTheNode(frame);
    }

    @Test
    void anEntryWithAnUnknownFormatVersionStopsTheNode() throws Exception {
        byte[] frame = QueueCommandCodec.encode(new QueueCommand.DeleteQueue("alerts"));
        frame[0] = (byte) (CommandFrame.FORMAT_VERSION + 1);
        assertStopsTheNode(frame);
    }

    private void assertStopsTheNode(byte[] frame) throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().engines(index -> engine()).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            ByteBuffer created = node.dataGroup(0).submit(QueueCommandCodec.encode(
                    new QueueCommand.CreateQueue("alerts", Map.of(), Map.of()))).get(30, TimeUnit.SECONDS);
            assertEquals("alerts", QueueResultCodec.open(created).getString());
            assertTrue(node.health().live());

            assertThrows(ExecutionException.class, () -> node.dataGroup(0).submit(frame).get(30, TimeUnit.SECONDS));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.health().live() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(node.health().live());
            assertTrue(node.failedGroups().contains("data-0"), node.failedGroups().toString());
        }
    }

}
