package dev.sluice.raftstore;

import static dev.sluice.raftstore.CommitMarkerIT.awaitQuiet;
import static dev.sluice.raftstore.CommitMarkerIT.catalogLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.CommitStamp;
import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature level 5 on real Ratis: a leader stamps entries and appends markers only once the cluster runs level 5, and
 * Ratis's commit-index entries are off only in a run whose node knew that at start (a new cluster's founding start,
 * or a restart after the level was seen), never while entries go unstamped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CommitStampLevelIT {
    private static final int LONE_WRITES = 4;

    @TempDir
    Path dir;

    @Test
    void belowLevelFiveTheLeaderWritesNoStampedEntryNorMarkerAndKeepsCommitIndexEntries() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).started(0).start()) {
            cluster.reconfigure(0, config -> config.withFeatureLevel(FeatureLevel.FANOUT_IN_ONE_APPLY));
            cluster.restart(0); // founds a new cluster, as a node of level 4
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            assertTrue(metadataEntriesOn(node), "Ratis's leaders append commit-index entries");

            LogCounts counts = loneWrites(node, catalogLog(node).getStartIndex());
            assertEquals(0, counts.stamped, "no entry of format 2: " + counts);
            assertEquals(0, counts.markers, "no marker: " + counts);
            assertTrue(counts.unstamped >= LONE_WRITES, "format-1 entries, as a node of level 4 writes: " + counts);
            assertTrue(counts.metadata >= LONE_WRITES, "a commit-index entry after each lone write: " + counts);
        }
    }

    @Test
    void aFoundingFirstStartAtLevelFiveStampsAndWritesNoCommitIndexEntryFromItsFirstEntry() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            assertFalse(metadataEntriesOn(node), "a new cluster runs this release: no commit-index entries");

            LogCounts counts = loneWrites(node, catalogLog(node).getStartIndex()); // the whole log, from its first entry
            assertEquals(0, counts.metadata, "no commit-index entry since the first start: " + counts);
            assertTrue(counts.stamped >= LONE_WRITES, "stamped entries: " + counts);
            assertTrue(counts.markers >= 1, "a marker after a lone write: " + counts);
            assertEquals("5", Files.readString(node.config().dataDirectory().resolve(CommitStampLevel.FILE)).trim());
        }
    }

    /**
     * A data directory of the previous release has no level file: its first start on this release keeps commit-index
     * entries on, stamps as soon as it sees level 5, and goes without commit-index entries from the next restart.
     */
    @Test
    void aRestartedNodeWithoutTheFileKeepsCommitIndexEntriesUntilItRestartsAfterSeeingLevelFive() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            cluster.node(0).catalog().put("topics", "before", new byte[1]).get(30, TimeUnit.SECONDS);
            cluster.kill(0);
            Files.delete(cluster.config(0).dataDirectory().resolve(CommitStampLevel.FILE));

            cluster.restart(0);
            RaftStoreNode upgraded = cluster.node(0);
            assertTrue(metadataEntriesOn(upgraded), "commit-index entries on for the whole run: it did not know level 5");
            cluster.awaitLeader(Duration.ofSeconds(30));
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> upgraded.commitStampLevel().stampsAllowed(),
                    () -> "level 5 never seen");
            LogCounts seen = loneWrites(upgraded, awaitQuiet(catalogLog(upgraded)) + 1);
            assertTrue(seen.stamped >= LONE_WRITES, "stamps once level 5 is seen: " + seen);
            assertTrue(seen.metadata >= LONE_WRITES, "and commit-index entries still, until a restart: " + seen);

            cluster.restart(0);
            RaftStoreNode restarted = cluster.node(0);
            assertFalse(metadataEntriesOn(restarted), "the restart after it saw level 5 goes without them");
            assertTrue(restarted.commitStampLevel().stampsAllowed(), "and stamps from its first entry");
            cluster.awaitLeader(Duration.ofSeconds(30));
            LogCounts after = loneWrites(restarted, awaitQuiet(catalogLog(restarted)) + 1);
            assertEquals(0, after.metadata, "no commit-index entry: " + after);
            assertTrue(after.stamped >= LONE_WRITES && after.markers >= 1, "stamps and markers: " + after);
        }
    }

    /** A node started with --join never founds: it keeps commit-index entries until a restart after it saw level 5. */
    @Test
    void aJoiningNodeKeepsCommitIndexEntriesUntilARestartAfterItSawLevelFive() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            int joining = cluster.startJoiningNode(); // not added to the layout: its own view is the configured members
            RaftStoreNode joined = cluster.node(joining);
            assertTrue(metadataEntriesOn(joined), "no level file, and --join: it cannot know the cluster's level");
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(60), () -> joined.commitStampLevel().stampsAllowed(),
                    () -> "level 5 never seen");

            cluster.restart(joining);
            assertFalse(metadataEntriesOn(cluster.node(joining)), "the restart after it saw level 5 goes without them");
            assertTrue(cluster.node(joining).commitStampLevel().stampsAllowed());
        }
    }

    /**
     * A rolling upgrade of a 3-node cluster from level 4: while one node still runs level 4 its leader writes no stamp
     * (a node of the previous release stops at one); once every node runs level 5 stamps start, with commit-index
     * entries still on; after each node's next restart they are off.
     */
    @Test
    void aRollingUpgradeStampsOnlyOnceEveryNodeRunsLevelFiveAndDropsCommitIndexEntriesAtTheNextRestarts() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).started(0).start()) {
            for (int i = 0; i < 3; i++) {
                cluster.reconfigure(i, config -> config.withFeatureLevel(FeatureLevel.FANOUT_IN_ONE_APPLY));
                cluster.restart(i);
            }
            cluster.awaitLeader(Duration.ofSeconds(60));
            for (int i = 0; i < 2; i++) {
                upgrade(cluster, i);
            }
            LogCounts mixed = loneWritesOnLeader(cluster);
            assertEquals(0, mixed.stamped + mixed.markers, "n3 still runs level 4: " + mixed);
            assertTrue(mixed.metadata >= LONE_WRITES, mixed.toString());

            upgrade(cluster, 2);
            for (int i = 0; i < 3; i++) {
                RaftStoreNode node = cluster.node(i);
                LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> node.commitStampLevel().stampsAllowed(),
                        () -> node.config().nodeId() + " never saw level 5");
                assertTrue(metadataEntriesOn(node), "it started before every node ran level 5");
            }
            LogCounts upgraded = loneWritesOnLeader(cluster);
            assertTrue(upgraded.stamped >= LONE_WRITES && upgraded.metadata >= LONE_WRITES, upgraded.toString());

            for (int i = 0; i < 3; i++) {
                cluster.restart(i);
                assertFalse(metadataEntriesOn(cluster.node(i)), "restarted after it saw level 5");
                cluster.awaitLeader(Duration.ofSeconds(60));
            }
            LogCounts after = loneWritesOnLeader(cluster);
            assertEquals(0, after.metadata, after.toString());
            assertTrue(after.stamped >= LONE_WRITES && after.markers >= 1, after.toString());
        }
    }

    /** Restarts node {@code index} on this release (level 5) with its files, as a rolling upgrade does. */
    private static void upgrade(MiniCluster cluster, int index) throws Exception {
        cluster.reconfigure(index, config -> config.withFeatureLevel(FeatureLevel.CURRENT));
        cluster.restart(index);
        assertTrue(metadataEntriesOn(cluster.node(index)), "an upgraded node knows no level 5 yet");
        cluster.awaitLeader(Duration.ofSeconds(60));
    }

    /** Lone writes through the catalog's leader, counting its log from where it was quiet before them. */
    private static LogCounts loneWritesOnLeader(MiniCluster cluster) throws Exception {
        RaftStoreNode leader = cluster.node(cluster.awaitLeader(Duration.ofSeconds(60)));
        return loneWrites(leader, awaitQuiet(catalogLog(leader)) + 1);
    }

    /** What Ratis's LeaderStateImpl reads each time this node becomes a leader. */
    private static boolean metadataEntriesOn(RaftStoreNode node) {
        return RaftServerConfigKeys.Log.logMetadataEnabled(node.raftServer().getProperties());
    }

    /** {@link #LONE_WRITES} catalog writes one at a time, each until the log is quiet; counts the log from {@code from}. */
    private static LogCounts loneWrites(RaftStoreNode node, long from) throws Exception {
        Catalog catalog = node.catalog();
        RaftLog log = catalogLog(node);
        for (int i = 0; i < LONE_WRITES; i++) {
            catalog.put("topics", "lone-" + from + "-" + i, new byte[1]).get(30, TimeUnit.SECONDS);
            awaitQuiet(log);
        }
        return LogCounts.read(log, Math.max(from, log.getStartIndex()));
    }

    /** A log's entries from an index to its end, by kind. */
    private record LogCounts(int unstamped, int stamped, int markers, int metadata) {
        static LogCounts read(RaftLog log, long from) throws Exception {
            int unstamped = 0;
            int stamped = 0;
            int markers = 0;
            int metadata = 0;
            for (long index = from; index <= log.getLastEntryTermIndex().getIndex(); index++) {
                LogEntryProto entry = log.get(index);
                if (entry.hasMetadataEntry()) {
                    metadata++;
                } else if (entry.hasStateMachineLogEntry()) {
                    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
                    if (CommitStamp.isMarker(data)) {
                        markers++;
                    } else if ((data.get(data.position()) & 0xFF) == EntryHeader.UNSTAMPED_FORMAT) {
                        unstamped++;
                    } else {
                        stamped++;
                    }
                }
            }
            return new LogCounts(unstamped, stamped, markers, metadata);
        }
    }
}
