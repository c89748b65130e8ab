package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aRequestTimeoutLongerThanEveryNodesRetryCacheIsRefused() {
        RaftStoreConfig longest = RaftStoreConfig.defaults().withRequestTimeout(RaftStoreConfig.MAX_REQUEST_TIMEOUT);
        assertTrue(longest.validate().isEmpty(), "the longest allowed: " + longest.validate());
        RaftStoreConfig longer = RaftStoreConfig.defaults()
                .withRequestTimeout(RaftStoreConfig.MAX_REQUEST_TIMEOUT.plusMillis(1));
        assertTrue(longer.validate().stream().anyMatch(problem -> problem.startsWith("request timeout must be")),
                "a resent call could outlive the replies a leader keeps: " + longer.validate());
    }

    @Test
    void aClientTriesAnotherNodeAfterTheLongestElectionTimeoutNotAThirdOfItsWholeBudget() {
        RaftStoreConfig defaults = RaftStoreConfig.defaults();
        assertEquals(defaults.electionTimeoutMax(), defaults.requestAttemptTimeout());
        assertEquals(defaults.requestAttemptTimeout(), defaults.groupClientSettings().attemptTimeout());
        assertTrue(defaults.requestAttemptTimeout().compareTo(java.time.Duration.ofSeconds(3)) <= 0,
                "a frozen leader's clients move on within the 3 s failover target");
    }

    @Test
    void aLoneNodeCampaignsSoonAfterAStartWhileClusterMembersWaitAnElectionTimeout(@org.junit.jupiter.api.io.TempDir Path dir) {
        RaftStoreConfig lone = RaftStoreConfig.defaults();
        var loneProperties = RaftStoreNode.properties(lone, dir, false);
        assertEquals(RaftStoreNode.LONE_NODE_FIRST_ELECTION_MAX.toMillis(), org.apache.ratis.server.RaftServerConfigKeys.Rpc
                .firstElectionTimeoutMax(loneProperties).toLong(TimeUnit.MILLISECONDS));
        assertTrue(RaftStoreNode.LONE_NODE_FIRST_ELECTION_MAX.compareTo(lone.electionTimeoutMin()) < 0);
        RaftStoreConfig member = lone.withPeers(List.of(new Peer("n1", "127.0.0.1", 7001), new Peer("n2", "127.0.0.1", 7002),
                new Peer("n3", "127.0.0.1", 7003)));
        var memberProperties = RaftStoreNode.properties(member, dir, false);
        assertEquals(member.electionTimeoutMin().toMillis(), org.apache.ratis.server.RaftServerConfigKeys.Rpc
                .firstElectionTimeoutMin(memberProperties).toLong(TimeUnit.MILLISECONDS));
        assertEquals(member.electionTimeoutMax().toMillis(), org.apache.ratis.server.RaftServerConfigKeys.Rpc
                .firstElectionTimeoutMax(memberProperties).toLong(TimeUnit.MILLISECONDS));
    }

    @Test
    void commitIndexEntriesAreOffOnlyWhenEntriesAreStampedWhateverTheExtraRatisProperties(@org.junit.jupiter.api.io.TempDir Path dir) {
        var off = java.util.Map.of(org.apache.ratis.server.RaftServerConfigKeys.Log.LOG_METADATA_ENABLED_KEY, "false");
        RaftStoreConfig tuned = RaftStoreConfig.defaults().withRaftProperties(off);
        assertTrue(org.apache.ratis.server.RaftServerConfigKeys.Log.logMetadataEnabled(RaftStoreNode.properties(tuned, dir, true)),
                "below level 5 (no stamps) they stay on");
        assertFalse(org.apache.ratis.server.RaftServerConfigKeys.Log.logMetadataEnabled(
                RaftStoreNode.properties(RaftStoreConfig.defaults(), dir, false)), "off once stamps are sure");
    }

    @Test
    void aLeaderKeepsTryingADownFollowerEveryFewHundredMillisecondsHoweverLongItWasDown(@org.junit.jupiter.api.io.TempDir Path dir) {
        var properties = RaftStoreNode.properties(RaftStoreConfig.defaults(), dir, false);
        var policy = org.apache.ratis.retry.MultipleLinearRandomRetry.parseCommaSeparated(
                org.apache.ratis.server.RaftServerConfigKeys.Log.Appender.retryPolicy(properties));
        // Ratis's default waits 5 s between attempts after 30 failures: a follower back after 20 s down heard from its
        // leaders up to 5 s later. Failures come about every 100-300 ms, so 100,000 of them are hours of downtime.
        for (int failures = 1; failures <= 100_000; failures += failures < 100 ? 1 : 997) {
            int attempt = failures;
            var action = policy.handleAttemptFailure(() -> attempt);
            assertTrue(action.shouldRetry(), "gives up after " + failures + " failures");
            assertTrue(action.getSleepTime().toLong(TimeUnit.MILLISECONDS) <= 450,
                    "waits " + action.getSleepTime() + " after " + failures + " failures");
        }
    }

    @Test
    void aNodeRetriesPublishingSoonAfterAFirstFailureAndBacksOffToTwoSeconds() {
        // A restarted node's first publish often comes before it heard from the catalog's leader: it used to wait 2 s.
        assertEquals(100, RaftStoreNode.PUBLISH_RETRY_FIRST.toMillis());
        List<Long> waits = new java.util.ArrayList<>();
        long wait = RaftStoreNode.PUBLISH_RETRY_FIRST.toMillis();
        for (int failure = 0; failure < 8; failure++) {
            waits.add(wait);
            wait = RaftStoreNode.nextPublishWait(wait);
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L), waits);
    }

    @Test
    void clusterMembersRefuseTemporaryDataDirectoriesUnlessATestAllowsThem() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withDataDirectory(Path.of("/tmp/sluice-data"))
                .withPeers(List.of(new Peer("n1", "127.0.0.1", 7001), new Peer("n2", "127.0.0.1", 7002),
                        new Peer("n3", "127.0.0.1", 7003)));
        assertTrue(config.validate().stream().anyMatch(problem -> problem.contains("temporary")));
        assertEquals(List.of(), config.withAllowTemporaryStorage(true).validate());
        assertTrue(RaftStoreConfig.defaults().withDataDirectory(Path.of("/tmp/sluice-data")).withJoinExistingCluster(true)
                .validate().stream().anyMatch(problem -> problem.contains("temporary")));
    }

    @Test
    void aSingleNodeMayKeepItsDataUnderATemporaryDirectoryWithAWarning() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withDataDirectory(Path.of("/tmp/sluice-data"));
        assertEquals(List.of(), config.validate());
        assertTrue(config.storageMayBeWiped());
        assertFalse(RaftStoreConfig.defaults().withDataDirectory(Path.of("/srv/sluice")).storageMayBeWiped());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RaftStoreConfig config = RaftStoreConfig.defaults().withNode("bad id!", "127.0.0.1", 70_000)
                .withPeers(List.of(new Peer("a", "h", 1), new Peer("b", "h", 2))).withDataGroups(0);
        List<String> problems = config.validate();
        assertTrue(problems.size() >= 5, problems.toString());
    }
}
