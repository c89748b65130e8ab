package dev.sluice.raftstore.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group being founded serves once a Raft majority of its voters is a majority of the members it was founded for; the
 * founding record keeps that state across restarts and forgets the group once formed.
 */
class FormationTest {
    @TempDir
    Path data;

    @Test
    void aGroupServesOnceItsVotersCommitOnAMajorityOfTheMembersItWasFoundedFor() {
        assertEquals(1, Formation.votersNeeded(1), "a single node's group serves at once");
        assertEquals(2, Formation.votersNeeded(2));
        assertEquals(2, Formation.votersNeeded(3), "2 voters commit on 2 copies, a majority of 3");
        assertEquals(4, Formation.votersNeeded(4), "3 voters commit on 2 copies, not a majority of 4");
        assertEquals(4, Formation.votersNeeded(5), "3 voters commit on 2 copies, not a majority of 5; 4 commit on 3");
        assertTrue(Formation.problem("data-0", 1, 3).orElseThrow().contains("1 voting member(s) of the 3"));
        assertTrue(Formation.problem("data-0", 2, 3).isEmpty());
        assertTrue(Formation.problem("catalog", 3, 5).isPresent());
        assertTrue(Formation.problem("catalog", 4, 5).isEmpty());
    }

    @Test
    void theFoundingRecordSurvivesARestartUntilTheGroupFormsAndThenForgetsItForGood() throws Exception {
        FoundingRecord record = FoundingRecord.load(data);
        assertEquals(OptionalInt.empty(), record.foundedFor("data-0"), "nothing founded: Raft's rules alone");
        record.begin("catalog", 3);
        record.begin("data-0", 3);
        FoundingRecord restarted = FoundingRecord.load(data);
        assertEquals(OptionalInt.of(3), restarted.foundedFor("catalog"));
        assertEquals(OptionalInt.of(3), restarted.foundedFor("data-0"));

        restarted.formed("data-0");
        assertEquals(OptionalInt.empty(), restarted.foundedFor("data-0"));
        FoundingRecord again = FoundingRecord.load(data);
        assertEquals(OptionalInt.empty(), again.foundedFor("data-0"), "a formed group is never guarded again");
        assertEquals(OptionalInt.of(3), again.foundedFor("catalog"));
        try (var files = Files.list(data.resolve(FoundingRecord.DIRECTORY))) {
            assertEquals(1, files.count());
        }
    }
}
