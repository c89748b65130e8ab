package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 21b's attacks on the feature-level gating of the commit stamp (CommitStampLevel, ClusterFeatures): stamped
 * entries only while every node runs level 5, and commit-index entries off only while every entry is stamped.
 * Not here: a new cluster founded by a node of this release together with nodes of an earlier one (the founder stamps
 * from its first start; review 21b's finding, left to the README's rule that a new cluster's nodes run one release).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CommitStampGatingAttackIT {
    @TempDir
    Path dir;

    /**
     * A single node founded at level 5 stamps from its first entry; restarted as a node of level 4 (a downgrade) it must
     * be refused (README, "Downgrades are refused"), which needs the catalog's highest level to say 5. Nothing but an
     * effective-level read records it, and a founding node that stamps from its first start never reads it.
     */
    @Test
    void aDowngradeOfANodeThatFoundedAtLevelFiveIsRefused() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            assertTrue(node.commitStampLevel().stampsAllowed(), "a founding level-5 node stamps");
            node.catalog().put("topics", "stamped", new byte[1]).get(30, TimeUnit.SECONDS);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> node.features().published(),
                    () -> "level never published");
            Thread.sleep(3_000); // several of the watch's one-second periods, were it running

            cluster.reconfigure(0, config -> config.withFeatureLevel(FeatureLevel.FANOUT_IN_ONE_APPLY));
            cluster.restart(0);
            RaftStoreNode downgraded = cluster.node(0);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> !downgraded.health().live()
                    || downgraded.features().published(), () -> "neither refused nor published");
            assertFalse(downgraded.health().live(), "a level-4 node started on a log the cluster stamped at level 5 is "
                    + "not refused: " + downgraded.health());
        }
    }

    /**
     * A data directory of an earlier release whose founding marker is gone but whose raft directory holds the groups is
     * no founding start: commit-index entries stay on (held).
     */
    @Test
    void aDirectoryWithGroupsButNoFoundingMarkerIsNoFoundingStart() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            cluster.node(0).catalog().put("topics", "before", new byte[1]).get(30, TimeUnit.SECONDS);
            cluster.kill(0);
            Path data = cluster.config(0).dataDirectory();
            Files.delete(data.resolve(CommitStampLevel.FILE));
            Files.delete(data.resolve(RaftStoreNode.FOUNDED_MARKER));

            cluster.restart(0);
            RaftStoreNode restarted = cluster.node(0);
            assertTrue(RaftServerConfigKeys.Log.logMetadataEnabled(restarted.raftServer().getProperties()),
                    "commit-index entries on: it cannot know the cluster's level");
            assertEquals(FeatureLevel.BASELINE, restarted.commitStampLevel().highest(), "no level counted at start");
        }
    }

    /**
     * README forbids adding a node of an earlier release to a cluster that reached level 5; the code's answer, once the
     * catalog records level 5 (here by one effective-level read, see the downgrade test for when nothing makes one), is
     * to refuse a level-4 node at its publish, while the leader keeps stamping (held).
     */
    @Test
    void aLevelFourNodeJoiningAClusterThatReachedLevelFiveIsRefused() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode leader = cluster.node(0);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> leader.features().published(),
                    () -> "level never published");
            assertEquals(FeatureLevel.COMMIT_STAMPS, leader.features().effectiveLevel().get(30, TimeUnit.SECONDS));
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> leader.catalog()
                    .get(ClusterFeatures.CLUSTER, ClusterFeatures.HIGHEST).join().isPresent(), () -> "level 5 not recorded");

            int joining = cluster.declareJoiningNode();
            cluster.reconfigure(joining, config -> config.withFeatureLevel(FeatureLevel.FANOUT_IN_ONE_APPLY));
            cluster.restart(joining);
            RaftStoreNode old = cluster.node(joining);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> !old.health().live() || old.features().published(),
                    () -> "neither refused nor published");
            assertFalse(old.health().live(), "a level-4 node joined a level-5 cluster: " + old.health());
            assertTrue(leader.commitStampLevel().stampsAllowed(), "the leader still stamps");
        }
    }
}
