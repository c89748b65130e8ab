package dev.sluice.raftstore.statemachine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as RocksDB checkpoint directories {@code sm/snapshot.<term>_<index>/} in the group's
 * Ratis state-machine directory. A directory is only ever created complete (written under a
 * temporary name, then renamed), so its presence means a usable snapshot. Ratis ships the listed
 * files to followers that fell behind the purged log and replaces their {@code sm} directory.
 */
final class CheckpointSnapshotStorage implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final String INSTALL_DIGEST_SUFFIX = ".md5";
    private static final int SNAPSHOTS_KEPT = 2;

    private volatile Path stateMachineDir;

    @Override
    public void init(RaftStorage storage) throws IOException {
        stateMachineDir = storage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(stateMachineDir);
    }

    Path directoryFor(TermIndex termIndex) {
        return stateMachineDir.resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
    }

    Path temporaryDirectoryFor(TermIndex termIndex) {
        return stateMachineDir.resolve("creating." + termIndex.getTerm() + "_" + termIndex.getIndex());
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest().map(this::describe).orElse(null);
    }

    Optional<Path> latestDirectory() {
        return latest().map(this::directoryFor);
    }

    private Optional<TermIndex> latest() {
        return snapshots().stream().max(Comparator.comparingLong(TermIndex::getIndex));
    }

    private List<TermIndex> snapshots() {
        Path dir = stateMachineDir;
        List<TermIndex> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isDirectory).forEach(path -> {
                Matcher matcher = NAME.matcher(path.getFileName().toString());
                if (matcher.matches()) {
                    found.add(TermIndex.valueOf(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private SnapshotInfo describe(TermIndex termIndex) {
        List<FileInfo> files = new ArrayList<>();
        for (Path file : dataFiles(directoryFor(termIndex))) {
            files.add(new FileInfo(file, null));
        }
        return new FileListSnapshotInfo(files, termIndex);
    }

    /** The checkpoint's files, without the digests Ratis leaves beside files it installed. */
    static List<Path> dataFiles(Path snapshotDir) {
        try (Stream<Path> entries = Files.list(snapshotDir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().endsWith(INSTALL_DIGEST_SUFFIX))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void format() {
        // Nothing to format: directories are created on demand.
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        List<TermIndex> all = new ArrayList<>(snapshots());
        all.sort(Comparator.comparingLong(TermIndex::getIndex).reversed());
        for (TermIndex old : all.subList(Math.min(SNAPSHOTS_KEPT, all.size()), all.size())) {
            deleteRecursively(directoryFor(old));
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
