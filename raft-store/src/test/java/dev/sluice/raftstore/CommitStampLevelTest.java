package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a node decides about commit stamps from the highest level it has seen, and how that survives a restart. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommitStampLevelTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutTheFileKeepsCommitIndexEntriesAndStampsNothingUntilLevelFiveIsSeen() throws Exception {
        CommitStampLevel level = CommitStampLevel.load(dir, FeatureLevel.CURRENT, false);
        assertEquals(FeatureLevel.BASELINE, level.highest());
        assertFalse(level.stampsAllowed());
        assertTrue(level.commitIndexEntriesNeeded());

        level.raise(FeatureLevel.FANOUT_IN_ONE_APPLY);
        assertFalse(level.stampsAllowed(), "level 4 writes no stamp");
        level.raise(FeatureLevel.COMMIT_STAMPS);
        assertTrue(level.stampsAllowed(), "stamps from the moment level 5 is seen");
        assertFalse(level.commitIndexEntriesNeeded(), "and the next start goes without commit-index entries");
        level.raise(FeatureLevel.BASELINE);
        assertTrue(level.stampsAllowed(), "a level never goes down");

        CommitStampLevel restarted = CommitStampLevel.load(dir, FeatureLevel.CURRENT, false);
        assertTrue(restarted.stampsAllowed(), "stamps from the first entry after a restart");
        assertFalse(restarted.commitIndexEntriesNeeded());
        assertEquals("5", Files.readString(dir.resolve(CommitStampLevel.FILE)).trim());
    }

    @Test
    void anUnreadableFileCountsAsNoLevelSeen() throws Exception {
        Files.writeString(dir.resolve(CommitStampLevel.FILE), "");
        assertTrue(CommitStampLevel.load(dir, FeatureLevel.CURRENT, false).commitIndexEntriesNeeded());
    }

    @Test
    void aFoundingFirstStartCountsItsOwnLevelDurablyBeforeTheServerIsBuilt() throws Exception {
        CommitStampLevel founder = CommitStampLevel.load(dir, FeatureLevel.CURRENT, true);
        assertTrue(founder.stampsAllowed());
        assertFalse(founder.commitIndexEntriesNeeded());
        assertTrue(CommitStampLevel.load(dir, FeatureLevel.CURRENT, false).stampsAllowed(), "written for the next start");
    }

    @Test
    void aNodeRunningALowerLevelNeverStampsWhateverItSawBefore() throws Exception {
        CommitStampLevel.load(dir, FeatureLevel.CURRENT, true);
        CommitStampLevel downgraded = CommitStampLevel.load(dir, FeatureLevel.FANOUT_IN_ONE_APPLY, false);
        assertFalse(downgraded.stampsAllowed(), "it plays an earlier release (and ClusterFeatures refuses it)");
        assertTrue(downgraded.commitIndexEntriesNeeded());
        downgraded.raise(FeatureLevel.COMMIT_STAMPS);
        assertFalse(downgraded.stampsAllowed());
        assertEquals("5", Files.readString(dir.resolve(CommitStampLevel.FILE)).trim(), "the file is never lowered");

        Path founderAtFour = Files.createDirectory(dir.resolve("four"));
        assertFalse(CommitStampLevel.load(founderAtFour, FeatureLevel.FANOUT_IN_ONE_APPLY, true).stampsAllowed(),
                "a founder of level 4 counts level 4");
    }
}
