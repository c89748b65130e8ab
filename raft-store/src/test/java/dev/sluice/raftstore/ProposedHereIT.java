package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.testing.CatalogEngineWrapper;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApplyContext#proposedHere} is true on exactly one replica per entry (the leader that wrote it), so node-local
 * meters that count only such entries count each entry once across the cluster.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProposedHereIT {
    private static final int COUNTED = 98;
    private static final int ENTRIES = 20;

    @TempDir
    Path dir;

    /** A catalog that counts command type 98: every apply, and the applies of entries proposed on this node. */
    static final class CountingEngine extends CatalogEngineWrapper {
        final AtomicInteger applied = new AtomicInteger();
        final AtomicInteger proposedHere = new AtomicInteger();

        @Override
        public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
            if (commandType != COUNTED) {
                return super.apply(commandType, payload, context);
            }
            applied.incrementAndGet();
            if (context.proposedHere()) {
                proposedHere.incrementAndGet();
            }
            return new byte[0];
        }
    }

    @Test
    void everyEntryIsProposedHereOnExactlyOneOfThreeReplicas() throws Exception {
        List<CountingEngine> engines = new CopyOnWriteArrayList<>();
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).engines(index -> {
            CountingEngine engine = new CountingEngine();
            engines.add(engine);
            return engine;
        }).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            for (int i = 0; i < ENTRIES; i++) {
                // Through different nodes: a follower's client forwards to the leader, which proposes.
                cluster.node(i % 3).dataGroup(0).submit(CommandFrame.writer(COUNTED).toByteArray()).get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engines.stream().anyMatch(engine -> engine.applied.get() < ENTRIES) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(3, engines.size(), "one engine per replica of data-0");
            engines.forEach(engine -> assertEquals(ENTRIES, engine.applied.get(), "every replica applied every entry"));
            assertEquals(ENTRIES, engines.stream().mapToInt(engine -> engine.proposedHere.get()).sum(),
                    "each entry counted on one replica only");
        }
    }
}
