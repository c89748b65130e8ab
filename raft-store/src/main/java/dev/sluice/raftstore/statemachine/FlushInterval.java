package dev.sluice.raftstore.statemachine;

/**
 * When the apply thread flushes its store: after {@code commands} applied commands or {@code bytes} of applied entries,
 * whichever comes first. RocksDB's WAL is off, so what a SIGKILL keeps is what was flushed, and a restart replays the
 * log after it. A count of commands alone does not bound that replay: a command may carry a batch of ten messages of up
 * to 256 KiB, so 10,000 commands were 100,000 messages (the whole backlog in the restart measurement, where the store
 * then opened empty) and could be gigabytes. Bounded in bytes too, a restart replays a few MB and indexes the rest
 * from the store (benchmarks/RESULTS.md, "Restart time"). Apply thread only.
 */
final class FlushInterval {
    private final int commands;
    private final long bytes;
    private int commandsSince;
    private long bytesSince;

    FlushInterval(int commands, long bytes) {
        if (commands < 1 || bytes < 1) {
            throw new IllegalArgumentException("flush interval must be positive: " + commands + " commands, " + bytes + " bytes");
        }
        this.commands = commands;
        this.bytes = bytes;
    }

    /** Counts one applied entry; true (and counting starts again) when the store is due for a flush. */
    boolean applied(int entryCommands, long entryBytes) {
        commandsSince += entryCommands;
        bytesSince += entryBytes;
        if (commandsSince < commands && bytesSince < bytes) {
            return false;
        }
        commandsSince = 0;
        bytesSince = 0;
        return true;
    }
}
