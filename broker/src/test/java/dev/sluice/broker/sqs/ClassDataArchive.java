package dev.sluice.broker.sqs;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.Main;
import dev.sluice.raftstore.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * The class-data-sharing archive README's "Faster restarts" tells users to make, for the JVMs {@link SluiceProcesses}
 * starts: one training start of the server with {@code -XX:ArchiveClassesAtExit} until {@code /health} answers, a
 * clean stop (SIGTERM) that writes the archive, then every node started with {@code -XX:SharedArchiveFile}.
 *
 * <p>The JVM archives classes from jar files only (a non-empty directory on the class path makes it refuse), and a
 * test runs from {@code target/classes} directories: each directory is packed into a jar first, named by a digest of
 * its contents, so a recompile gives a new jar, a new class path and so a new archive. Archive and jars are kept under
 * {@code target/} across test classes and forks (made once per build; a file lock lets one fork train while the other
 * waits). A training that fails leaves the nodes without an archive, which costs speed, never correctness.
 */
final class ClassDataArchive {
    /** {@code -Dsluice.processes.cds=false} starts nodes without the archive (to measure what it saves). */
    static final boolean ENABLED = !"false".equals(System.getProperty("sluice.processes.cds"));
    private static final Duration TRAINING_BOUND = Duration.ofSeconds(180);

    private final Path directory;
    private final String classPath;
    private final Path archive;

    private ClassDataArchive(Path directory, String classPath, Path archive) {
        this.directory = directory;
        this.classPath = classPath;
        this.archive = archive;
    }

    /** The archive for {@code classPath}, made under {@code directory} unless an earlier run made it. */
    static ClassDataArchive forClassPath(Path directory, String classPath) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        String jarred = jarred(directory.resolve("jars"), classPath);
        ClassDataArchive made = new ClassDataArchive(directory, jarred,
                directory.resolve("sluice-" + digest(jarred.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".jsa"));
        made.trainUnlessMade();
        return made;
    }

    /** The class path to start nodes with: jars only. */
    String classPath() {
        return classPath;
    }

    /** The JVM options that use the archive (none when the training failed). */
    List<String> jvmOptions() {
        return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    Path archive() {
        return archive;
    }

    private void trainUnlessMade() throws IOException, InterruptedException {
        if (Files.isRegularFile(archive)) {
            return;
        }
        try (FileChannel lockFile = FileChannel.open(directory.resolve("training.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
            if (!Files.isRegularFile(archive)) {
                train();
            }
        }
    }

    private void train() throws IOException, InterruptedException {
        Path dataDir = directory.resolve("training-" + UUID.randomUUID());
        Path written = directory.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Path log = directory.resolve("training.log");
        int httpPort = FreePorts.next();
        Process process = new ProcessBuilder(SluiceProcesses.java(), "-XX:ArchiveClassesAtExit=" + written,
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", classPath, Main.class.getName(), "--node-id", "n1",
                "--port", String.valueOf(httpPort), "--raft-port", String.valueOf(FreePorts.next()),
                "--data-dir", dataDir.toString(), "--allow-temporary-storage", "true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            new HttpProbe(httpPort).awaitStatus("/health", 200, TRAINING_BOUND);
            process.destroy(); // SIGTERM: a clean stop, at which the JVM writes the archive
            if (process.waitFor(TRAINING_BOUND.toSeconds(), TimeUnit.SECONDS) && Files.size(written) > 0) {
                Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
                removeEarlierBuilds(directory, classPath, archive);
            }
        } catch (IOException | AssertionError failed) {
            System.err.println("class-data-sharing archive not made (nodes start without one): " + failed
                    + "; see " + log);
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(written);
            deleteTree(dataDir);
        }
    }

    /**
     * Deletes the archives and jars of earlier compiles (about 60 MB each), which no JVM of this build will start with:
     * one that still runs keeps its mapping of a deleted file.
     */
    static void removeEarlierBuilds(Path directory, String classPath, Path archive) throws IOException {
        List<String> inUse = List.of(classPath.split(File.pathSeparator));
        try (Stream<Path> made = Stream.concat(Files.list(directory), Files.list(directory.resolve("jars")))) {
            for (Path file : made.toList()) {
                String name = file.getFileName().toString();
                boolean earlierArchive = name.endsWith(".jsa") && !file.equals(archive);
                boolean earlierJar = name.endsWith(".jar") && !inUse.contains(file.toString());
                if (earlierArchive || earlierJar) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** {@code classPath} with each non-empty directory replaced by a jar of it (made unless made before). */
    private static String jarred(Path jars, String classPath) throws IOException {
        Files.createDirectories(jars);
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (!Files.isDirectory(path)) {
                entries.add(entry);
                continue;
            }
            List<Path> files = filesUnder(path);
            if (files.stream().noneMatch(Files::isRegularFile)) {
                continue;
            }
            Path jar = jars.resolve(path.getFileName() + "-" + contentDigest(path, files).substring(0, 16) + ".jar");
            if (!Files.isRegularFile(jar)) {
                pack(path, files, jar);
            }
            entries.add(jar.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Every file and directory under {@code directory}, in name order. */
    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(path -> !path.equals(directory)).sorted().toList();
        }
    }

    private static String contentDigest(Path root, List<Path> files) throws IOException {
        StringBuilder listing = new StringBuilder();
        listing.append(root).append('\n');
        for (Path file : files) {
            listing.append(root.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                    .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        }
        return digest(listing.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void pack(Path root, List<Path> files, Path jar) throws IOException {
        Path partial = jar.resolveSibling(jar.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream packed = new JarOutputStream(out)) {
            packed.setLevel(Deflater.BEST_SPEED);
            // Directory entries too, as the jar tool writes them: resource lookups of a directory (static web files) need them.
            for (Path file : files) {
                String name = root.relativize(file).toString().replace(File.separatorChar, '/');
                boolean isDirectory = Files.isDirectory(file);
                packed.putNextEntry(new JarEntry(isDirectory ? name + "/" : name));
                if (!isDirectory) {
                    Files.copy(file, packed);
                }
                packed.closeEntry();
            }
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
