package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.testing.CatalogEngineWrapper;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An unexpected failure inside apply stops the node rather than skipping the entry. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FatalApplyIT {
    private static final int POISON = 99;

    @TempDir
    Path dir;

    /** A catalog that treats command type 99 as corruption. */
    static final class PoisonableEngine extends CatalogEngineWrapper {

        @Override
        public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
            if (commandType == POISON) {
                throw new IllegalStateException("corrupt entry");
            }
            return super.apply(commandType, payload, context);
        }
    }

    @Test
    void aFailingApplyStopsTheNodeAndMarksItNotLive() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().engines(index -> new PoisonableEngine()).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            assertTrue(node.health().live());

            assertThrows(ExecutionException.class, () -> node.dataGroup(0).submit(CommandFrame.writer(POISON).toByteArray())
                    .get(30, TimeUnit.SECONDS));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.health().live() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(node.health().live());
            assertTrue(node.failedGroups().contains("data-0"));
        }
    }
}
