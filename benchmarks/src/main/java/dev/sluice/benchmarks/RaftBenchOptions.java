package dev.sluice.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link RaftStoreBenchmark} run does, parsed from its command line.
 *
 * <p>Every knob is bounded: the benchmark shares a small machine with the nodes it starts, and
 * {@code clients} is exactly the number of writes outstanding at once.
 *
 * @param nodes         raft-store nodes, each in its own JVM: 1 (no replication) or 3
 * @param clients       closed-loop writers, each with one catalog put outstanding at a time
 * @param warmup        load before measuring, so JIT, leader election and connections are not counted
 * @param measured      the measured window
 * @param valueBytes    size of each put's value; the key adds ~20 bytes and the frame a few more
 * @param dataDirectory parent of the run's node directories; must be on durable storage, not /tmp,
 *                      so that fsync costs what it costs in production
 */
public record RaftBenchOptions(
        int nodes,
        int clients,
        Duration warmup,
        Duration measured,
        int valueBytes,
        Path dataDirectory) {

    static final int MAX_CLIENTS = 4096;
    static final int MAX_MEASURED_SECONDS = 600;
    static final int MAX_WARMUP_SECONDS = 120;
    /** Far above "small commands", well below the 4 MiB entry limit. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    static final String USAGE = """
            usage: RaftStoreBenchmark --data-dir DIR [options]
              --nodes N              1 or 3 raft-store nodes, each a separate JVM (default 1)
              --clients N            writes outstanding at once, 1..4096 (default 16)
              --seconds N            measured seconds, 1..600 (default 15)
              --warmup-seconds N     unmeasured load first, 0..120 (default 5)
              --value-bytes N        catalog put value size, 1..65536 (default 100)
              --data-dir DIR         where node data goes (a fresh sub-directory per run); not under /tmp
            """;

    public RaftBenchOptions {
        if (nodes != 1 && nodes != 3) {
            throw new IllegalArgumentException("nodes must be 1 or 3: " + nodes);
        }
    }

    /**
     * Parses {@code --name value} pairs.
     *
     * @throws IllegalArgumentException listing every problem found, not just the first
     */
    public static RaftBenchOptions parse(String... args) {
        List<String> problems = new ArrayList<>();
        Parsed parsed = new Parsed();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                problems.add(name + " needs a value");
            } else {
                parsed.set(name, args[++i], problems);
            }
        }
        return parsed.validate(problems);
    }

    /** Mutable holder for the parse only; the record is built once everything is known. */
    private static final class Parsed {
        int nodes = 1;
        int clients = 16;
        int seconds = 15;
        int warmupSeconds = 5;
        int valueBytes = 100;
        String dataDirectory;

        void set(String name, String value, List<String> problems) {
            switch (name) {
                case "--nodes" -> nodes = intIn(name, value, 1, 3, problems);
                case "--clients" -> clients = intIn(name, value, 1, MAX_CLIENTS, problems);
                case "--seconds" -> seconds = intIn(name, value, 1, MAX_MEASURED_SECONDS, problems);
                case "--warmup-seconds" -> warmupSeconds = intIn(name, value, 0, MAX_WARMUP_SECONDS, problems);
                case "--value-bytes" -> valueBytes = intIn(name, value, 1, MAX_VALUE_BYTES, problems);
                case "--data-dir" -> dataDirectory = value;
                default -> problems.add("unknown option " + name);
            }
        }

        RaftBenchOptions validate(List<String> problems) {
            if (nodes == 2) {
                problems.add("--nodes must be 1 or 3 (an even count adds no fault tolerance): 2");
            }
            Path directory = null;
            if (dataDirectory == null || dataDirectory.isBlank()) {
                problems.add("--data-dir is required");
            } else {
                directory = Path.of(dataDirectory).toAbsolutePath().normalize();
                if (isTemporary(directory, Path.of(System.getProperty("java.io.tmpdir")))) {
                    problems.add("--data-dir " + directory + " is under a temporary directory (often tmpfs, or"
                            + " wiped); fsync there does not cost what it costs on a data disk");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new RaftBenchOptions(nodes, clients, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds),
                    valueBytes, directory);
        }
    }

    static boolean isTemporary(Path absolute, Path systemTemp) {
        Path temp = systemTemp.toAbsolutePath().normalize();
        return absolute.startsWith(Path.of("/tmp")) || absolute.startsWith(Path.of("/var/tmp"))
                || absolute.startsWith(Path.of("/dev/shm")) || absolute.startsWith(temp);
    }

    private static int intIn(String name, String value, int min, int max, List<String> problems) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be in " + min + ".." + max + ": " + value);
                return min;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " is not a whole number: " + value);
            return min;
        }
    }
}
