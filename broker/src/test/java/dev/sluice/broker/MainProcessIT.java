package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link Main} in a child JVM, as {@code java -jar sluice.jar} would, to see real exit codes and signals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainProcessIT {
    /** Under target/, not /tmp: the server refuses temporary data directories, as in production. */
    private final Path data = Path.of("target", "main-process-it", UUID.randomUUID().toString()).toAbsolutePath();
    private final Path output = data.resolveSibling(data.getFileName() + ".log");
    private Process process;

    @AfterEach
    void cleanUp() throws IOException {
        if (process != null) {
            process.destroyForcibly();
        }
        if (Files.exists(data)) {
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.deleteIfExists(output);
    }

    @Test
    void sigtermStopsARunningServerGracefullyWithinFifteenSeconds() throws Exception {
        int httpPort = FreePorts.next();
        start("--port", String.valueOf(httpPort), "--raft-port", String.valueOf(FreePorts.next()),
                "--data-dir", data.toString(), "--allow-temporary-storage", "true");
        new HttpProbe(httpPort).awaitStatus("/health", 200, Duration.ofSeconds(40));
        // The port answers a moment before Main has finished starting (and logged so); SIGTERM a started server.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!output().contains("Sluice listening") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        process.destroy();

        assertTrue(process.waitFor(15, TimeUnit.SECONDS), () -> "still running 15 s after SIGTERM:\n" + output());
        int exit = process.exitValue();
        assertTrue(exit == 0 || exit == 143, () -> "exit " + exit + ":\n" + output());
        String log = output();
        assertTrue(log.contains("Sluice listening on http://127.0.0.1:" + httpPort), log);
        assertTrue(log.contains("effective configuration"), log);
        assertTrue(log.contains("Sluice stopped"), log);
        String startUp = log.substring(0, log.indexOf("Sluice listening"));
        assertFalse(startUp.contains(" ERROR "), "a single node's start logs no ERROR:\n" + startUp);
    }

    @Test
    void badFlagsExitWithCode2AndPrintEveryProblem() throws Exception {
        start("--port", "abc", "--peers", "n1=no-port", "--frobnicate", "x", "--data-dir", data.toString(),
                "--allow-temporary-storage", "true");

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), this::output);
        String log = output();
        assertEquals(2, process.exitValue(), log);
        assertTrue(log.contains("--port: not a whole number: 'abc'"), log);
        assertTrue(log.contains("--peers: peer must be id=host:port: 'n1=no-port'"), log);
        assertTrue(log.contains("unknown flag --frobnicate"), log);
        assertTrue(log.contains("3 problem(s)"), log);
    }

    @Test
    void helpPrintsTheUsageAndExitsWithCode0() throws Exception {
        start("--help");

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), this::output);
        assertEquals(0, process.exitValue(), this::output);
        assertTrue(output().contains("--raft-port"), this::output);
    }

    private void start(String... arguments) throws IOException {
        Files.createDirectories(data.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_"));
        process = builder.start();
    }

    private String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
