package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RaftBenchOptionsTest {

    @Test
    void defaultsApplyWhenOnlyTheDataDirectoryIsGiven() {
        RaftBenchOptions options = RaftBenchOptions.parse("--data-dir", "/work/x/target/raft-bench");

        assertEquals(1, options.nodes());
        assertEquals(16, options.clients());
        assertEquals(Duration.ofSeconds(5), options.warmup());
        assertEquals(Duration.ofSeconds(15), options.measured());
        assertEquals(100, options.valueBytes());
        assertEquals(Path.of("/work/x/target/raft-bench"), options.dataDirectory());
    }

    @Test
    void everyOptionIsParsed() {
        RaftBenchOptions options = RaftBenchOptions.parse("--nodes", "3", "--clients", "128", "--seconds", "20",
                "--warmup-seconds", "0", "--value-bytes", "1024", "--data-dir", "/srv/bench");

        assertEquals(3, options.nodes());
        assertEquals(128, options.clients());
        assertEquals(Duration.ofSeconds(20), options.measured());
        assertEquals(Duration.ZERO, options.warmup());
        assertEquals(1024, options.valueBytes());
    }

    @Test
    void aRelativeDataDirectoryBecomesAbsolute() {
        Path expected = Path.of("target/raft-bench").toAbsolutePath();
        if (RaftBenchOptions.isTemporary(expected, Path.of(System.getProperty("java.io.tmpdir")))) {
            // This checkout lives under /tmp (as a CI clone may): the absolute path is what gets refused.
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RaftBenchOptions.parse("--data-dir", "target/raft-bench"));
            assertTrue(refused.getMessage().contains(expected.toString()), refused.getMessage());
            return;
        }
        RaftBenchOptions options = RaftBenchOptions.parse("--data-dir", "target/raft-bench");

        assertTrue(options.dataDirectory().isAbsolute());
        assertTrue(options.dataDirectory().endsWith(Path.of("target/raft-bench")));
    }

    @Test
    void twoNodesAreRefusedBecauseAnEvenClusterAddsNoFaultTolerance() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RaftBenchOptions.parse("--nodes", "2", "--data-dir", "/srv/bench"));

        assertTrue(error.getMessage().contains("--nodes must be 1 or 3"), error.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RaftBenchOptions.parse("--nodes", "5", "--clients", "0", "--seconds", "x", "--colour", "red",
                        "--value-bytes"));

        String message = error.getMessage();
        assertTrue(message.contains("--nodes must be in 1..3: 5"), message);
        assertTrue(message.contains("--clients must be in 1..4096: 0"), message);
        assertTrue(message.contains("--seconds is not a whole number: x"), message);
        assertTrue(message.contains("unknown option --colour"), message);
        assertTrue(message.contains("--value-bytes needs a value"), message);
        assertTrue(message.contains("--data-dir is required"), message);
    }

    @Test
    void aDataDirectoryUnderTmpIsRefusedSoFsyncCostsWhatItDoesOnADataDisk() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RaftBenchOptions.parse("--data-dir", "/tmp/raft-bench"));

        assertTrue(error.getMessage().contains("temporary directory"), error.getMessage());
    }

    @Test
    void temporaryDirectoriesIncludeTheJvmTempDirectoryAndShm() {
        Path jvmTemp = Path.of("/scratch/jvm-tmp");

        assertTrue(RaftBenchOptions.isTemporary(Path.of("/var/tmp/a"), jvmTemp));
        assertTrue(RaftBenchOptions.isTemporary(Path.of("/dev/shm/a"), jvmTemp));
        assertTrue(RaftBenchOptions.isTemporary(Path.of("/scratch/jvm-tmp/a"), jvmTemp));
        assertFalse(RaftBenchOptions.isTemporary(Path.of("/tmpfoo/a"), jvmTemp));
        assertFalse(RaftBenchOptions.isTemporary(Path.of("/work/wt/benchmarks/target/raft-bench"), jvmTemp));
    }
}
