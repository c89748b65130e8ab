package dev.sluice.raftstore.statemachine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups this node created while founding a new cluster that have not been seen formed yet ({@link Formation}),
 * each with the number of members it was founded for (its replicas in the cluster's initial layout). One file per such
 * group under {@code <data>/forming/}, written before the group is created and deleted once its configuration is
 * formed: a founder restarted mid-founding still refuses, and a formed group is never refused again, whatever later
 * layouts want (growth, a raised replication factor) and however its configuration shrinks later. A group without a
 * file (formed, created on a later start, or a replica added to a running group) serves by Raft's rules alone.
 *
 * <p>Threads: any.
 */
public final class FoundingRecord {
    private static final Logger LOG = LoggerFactory.getLogger(FoundingRecord.class);
    static final String DIRECTORY = "forming";

    private final Path directory;
    private final Map<String, Integer> forming = new ConcurrentHashMap<>();

    private FoundingRecord(Path directory) {
        this.directory = directory;
    }

    /** Reads the groups still forming from {@code dataDirectory}. */
    public static FoundingRecord load(Path dataDirectory) throws IOException {
        FoundingRecord record = new FoundingRecord(dataDirectory.resolve(DIRECTORY));
        if (Files.isDirectory(record.directory)) {
            try (Stream<Path> files = Files.list(record.directory)) {
                for (Path file : files.filter(path -> !path.getFileName().toString().endsWith(".tmp")).toList()) {
                    record.forming.put(file.getFileName().toString(),
                            Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim()));
                }
            }
        }
        return record;
    }

    /**
     * Records, durably, that {@code group} is being founded for {@code members} replicas; before the group is created,
     * so no crash leaves a founded group without its record.
     */
    public void begin(String group, int members) throws IOException {
        Files.createDirectories(directory);
        Path temporary = directory.resolve(group + ".tmp");
        Files.writeString(temporary, members + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, directory.resolve(group), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel entries = FileChannel.open(directory, StandardOpenOption.READ)) {
            entries.force(true); // the rename itself survives a crash
        }
        forming.put(group, members);
    }

    /** The members {@code group} was founded for while it is still forming; empty once formed (or never founded here). */
    public OptionalInt foundedFor(String group) {
        Integer members = forming.get(group);
        return members == null ? OptionalInt.empty() : OptionalInt.of(members);
    }

    /** The group formed (or this replica is gone): from now on only Raft's own majority rule applies to it. */
    public void formed(String group) {
        if (forming.remove(group) == null) {
            return;
        }
        try {
            Files.deleteIfExists(directory.resolve(group));
            LOG.info("{} is formed: a majority of the members it was founded for vote", group);
        } catch (IOException e) {
            // Harmless: after a restart the file makes the node check the formed configuration once more.
            LOG.warn("{} is formed, but its founding record could not be deleted: {}", group, e.toString());
        }
    }
}
