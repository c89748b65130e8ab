package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RaftStoreConfigTest {

    @Test
    void unsafeFlushIsRefusedEvenForTests() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withAllowTemporaryStorage(true)
                .withRaftProperties(Map.of(RaftStoreConfig.UNSAFE_FLUSH_KEY, "true"));
        assertTrue(config.validate().stream().anyMatch(problem -> problem.contains("unsafe-flush")));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RaftStoreNode.start(config,
                index -> null, new SimpleMeterRegistry(), InstantSource.system()));
        assertTrue(refused.getMessage().contains("unsafe-flush"));
    }

    @Test
    void temporaryDataDirectoriesAreRefusedUnlessATestAllowsThem() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withDataDirectory(Path.of("/tmp/sluice-data"));
        assertTrue(config.validate().stream().anyMatch(problem -> problem.contains("temporary")));
        assertEquals(List.of(), config.withAllowTemporaryStorage(true).validate());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withNode("bad id!", "127.0.0.1", 70_000)
                .withPeers(List.of(new Peer("a", "h", 1), new Peer("b", "h", 2))).withDataGroups(0);
        List<String> problems = config.validate();
        assertTrue(problems.size() >= 5, problems.toString());
    }
}
