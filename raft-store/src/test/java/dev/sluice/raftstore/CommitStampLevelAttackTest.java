package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Review 21b's attacks on the level file's rules (CommitStampLevel), on real files. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CommitStampLevelAttackTest {
    @TempDir
    Path dir;

    /** The class says an unreadable file counts as no level seen (the safe side), not a failed start. */
    @Test
    void aLevelFileThatCannotBeReadAtAllFailsTheStart() throws Exception {
        Files.createDirectories(dir.resolve(CommitStampLevel.FILE).resolve("not-a-level"));
        // Fail-stop, as the class says (review 21b found its doc promising "no level seen" here).
        assertThrows(java.io.IOException.class, () -> CommitStampLevel.load(dir, FeatureLevel.CURRENT, false));
    }

    /** A crash between the temporary file's write and its rename leaves the old file; the next write replaces both. */
    @Test
    void aTemporaryFileLeftByACrashNeitherCountsNorBlocksTheNextWrite() throws Exception {
        Files.writeString(dir.resolve(CommitStampLevel.FILE), "4\n");
        Files.writeString(dir.resolve(CommitStampLevel.FILE + ".tmp"), "5"); // torn: never renamed
        CommitStampLevel level = CommitStampLevel.load(dir, FeatureLevel.CURRENT, false);
        assertEquals(4, level.highest());
        assertTrue(level.commitIndexEntriesNeeded());
        level.raise(FeatureLevel.COMMIT_STAMPS);
        assertEquals("5", Files.readString(dir.resolve(CommitStampLevel.FILE)).trim());
    }

    /** A file written by a later release (a level above this node's) is clamped, and a lower one never lowers it. */
    @Test
    void aHigherLevelInTheFileIsClampedAndALowerRaiseNeverLowersIt() throws Exception {
        Files.writeString(dir.resolve(CommitStampLevel.FILE), "9\n");
        CommitStampLevel five = CommitStampLevel.load(dir, FeatureLevel.CURRENT, false);
        assertEquals(FeatureLevel.CURRENT, five.highest());
        CommitStampLevel four = CommitStampLevel.load(dir, FeatureLevel.FANOUT_IN_ONE_APPLY, true);
        assertFalse(four.stampsAllowed(), "a level-4 run never stamps, founding or not");
        assertTrue(four.commitIndexEntriesNeeded());
        four.raise(FeatureLevel.FANOUT_IN_ONE_APPLY);
        assertEquals("9", Files.readString(dir.resolve(CommitStampLevel.FILE)).trim(), "never lowered");
    }

    /** Raises from many threads at once: the level ends at the highest, in memory and in the file. */
    @Test
    void concurrentRaisesEndAtTheHighestLevel() throws Exception {
        for (int round = 0; round < 50; round++) {
            Path data = Files.createDirectories(dir.resolve("round-" + round));
            CommitStampLevel level = CommitStampLevel.load(data, FeatureLevel.CURRENT, false);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int raiseTo = 2 + t % 4;
                Thread thread = new Thread(() -> level.raise(raiseTo));
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(level.stampsAllowed(), "round " + round);
            assertEquals("5", Files.readString(data.resolve(CommitStampLevel.FILE)).trim(), "round " + round);
            assertTrue(CommitStampLevel.load(data, FeatureLevel.CURRENT, false).stampsAllowed(), "round " + round);
        }
    }
}
