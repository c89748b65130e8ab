package dev.sluice.raftstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest cluster feature level this node has seen ({@link ClusterFeatures}), kept in its data directory
 * ({@value #FILE}) across restarts, and what it decides: whether this node's leaders stamp their commit index into
 * entries and append commit markers ({@link FeatureLevel#COMMIT_STAMPS}), and whether Ratis's commit-index entries
 * can be off.
 *
 * <p>Why two answers: a node of a release before level 5 stops at the first stamped entry, so stamps wait until every
 * node runs level 5; and a replica restarted alone after a power loss needs one or the other in its log to apply up to
 * what it served before (ReplicaAfterCrashIT), so commit-index entries go only where stamps are sure to be written.
 * Stamps start as soon as this node sees level 5 ({@link #raise}, a volatile read per entry after that). Ratis reads
 * the commit-index setting once, when the server is built (each leadership's {@code LeaderStateImpl} reads it from the
 * server's properties), so that answer is fixed at start from what was seen before: from the first restart after the
 * level was reached. A level once reached never goes down (a node of a lower level refuses to serve), so a file that
 * says 5 stays true.
 *
 * <p>A data directory's first start that founds a new cluster counts its own level at once: every member of a new
 * cluster runs this release (README, "Upgrading"). A node started with {@code --join}, or upgraded from an earlier
 * release, keeps commit-index entries until its next restart after it saw level 5. The one start this takes for a
 * founding one although it is not: a member whose disk was wiped, restarted without {@code --join} (it waits for
 * {@code node-replace}, then rejoins stamping); harmless unless the cluster still runs nodes of an earlier release,
 * which is why a layout change waits until an upgrade is done (README).
 *
 * <p>Threads: any; {@link #raise} writes the file at most once per level.
 */
final class CommitStampLevel {
    private static final Logger LOG = LoggerFactory.getLogger(CommitStampLevel.class);
    /** The file in the data directory that holds the highest level seen, as decimal text. */
    static final String FILE = "cluster-feature-level";

    private final Path file;
    private final int ownLevel;
    /** The highest level seen, never above {@link #ownLevel}: what this node may write. */
    private volatile int highest;

    private CommitStampLevel(Path file, int ownLevel, int highest) {
        this.file = file;
        this.ownLevel = ownLevel;
        this.highest = Math.min(highest, ownLevel);
    }

    /**
     * Reads the level seen before from {@code dataDirectory} ({@link FeatureLevel#BASELINE} without a file), then counts
     * {@code ownLevel} as seen if {@code foundsNewCluster}, durably, before the caller builds the Raft server.
     */
    static CommitStampLevel load(Path dataDirectory, int ownLevel, boolean foundsNewCluster) throws IOException {
        Path file = dataDirectory.resolve(FILE);
        CommitStampLevel level = new CommitStampLevel(file, ownLevel, Files.exists(file) ? read(file) : FeatureLevel.BASELINE);
        if (foundsNewCluster && ownLevel > level.highest) {
            level.write(ownLevel);
            level.highest = ownLevel;
        }
        return level;
    }

    /**
     * A file whose text is not a level counts as no level seen: the safe side, commit-index entries stay on until level 5
     * is seen. One that cannot be read at all (a directory in its place, no permission) fails the start, as any
     * unreadable part of the data directory does.
     */
    private static int read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            LOG.warn("{} holds no feature level ({}): counted as level {}", file, text, FeatureLevel.BASELINE);
            return FeatureLevel.BASELINE;
        }
    }

    /** The highest level seen (at most this node's own). */
    int highest() {
        return highest;
    }

    /** Whether this node's leaders stamp entries and append markers: it has seen level 5. One volatile read. */
    boolean stampsAllowed() {
        return highest >= FeatureLevel.COMMIT_STAMPS;
    }

    /**
     * Whether Ratis's commit-index entries stay on for this run: decided by what was seen before the server was built,
     * so call it then ({@link RaftStoreNode#properties}). Off only when stamps are on from the first entry.
     */
    boolean commitIndexEntriesNeeded() {
        return !stampsAllowed();
    }

    /**
     * The cluster was seen at {@code level} (an effective level read from the catalog, or the highest it ever used):
     * stamps start at once when it is 5 or more, and the file says so for the next start. A failed write is logged and
     * costs only the saving (the next start keeps commit-index entries); the next higher level seen tries again.
     */
    void raise(int level) {
        int reached = Math.min(level, ownLevel);
        if (reached <= highest) {
            return;
        }
        synchronized (this) {
            if (reached <= highest) {
                return;
            }
            try {
                write(reached);
            } catch (IOException e) {
                LOG.warn("could not record feature level {} in {}; commit-index entries stay on after the next restart",
                        reached, file, e);
            }
            highest = reached;
        }
        LOG.info("the cluster runs feature level {}{}", reached, reached >= FeatureLevel.COMMIT_STAMPS
                ? ": entries carry the commit stamp; Ratis's commit-index entries, if on, stop at this node's next start" : "");
    }

    /** Atomically and durably: a crash leaves the old file or the new one, never a torn one. */
    private void write(int level) throws IOException {
        Path temporary = file.resolveSibling(FILE + ".tmp");
        Files.writeString(temporary, level + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true); // the rename itself survives a crash
        }
    }
}
