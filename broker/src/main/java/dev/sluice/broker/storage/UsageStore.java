package dev.sluice.broker.storage;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageLedger;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.broker.core.UsageRows;
import dev.sluice.raftstore.spi.StoreReader;
import dev.sluice.raftstore.spi.StoreWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per (account, hour, kind) usage counters of a data group in column family {@code usage}: key
 * {@code [account UTF-8][0][hour start millis, 8 bytes][kind code, 1 byte]}, value the count (8 bytes), all
 * big-endian, so one account's hours are one ordered range. An entry's adds are summed in memory per counter and
 * written by {@link #writeEntry} into the entry's write batch before it commits (one write per counter the entry
 * touched, not a read-modify-write per add: several commands of one entry often bill the same counter, and the value
 * written last is kept, so a hot counter is not read back), so they commit with the entry and its applied index: a
 * snapshot (a RocksDB checkpoint) carries them, and an entry applied once is counted once. Sums do not depend on the
 * order of the adds, so the counters are what one read-modify-write per add gave.
 *
 * <p>Threads: the apply thread; {@link #forgetWrittenValues} the thread that recovers the engine while no entry is
 * applied; {@link #read} any.
 */
public final class UsageStore implements UsageLedger {
    /** Rows one read returns at most; a wider read is refused (narrow the hours or name an account). */
    public static final int MAX_ROWS = 100_000;

    /** The first byte of a flush source's key, which no account id has. */
    private static final byte SOURCE_MARK = 1;

    private StoreWriter writer;
    /** The adds of the entry whose batch is {@link #pendingFor}, per counter, in the order first added. */
    private final Map<Counter, long[]> pending = new LinkedHashMap<>();
    private StoreWriter pendingFor;
    /**
     * The value {@link #writeEntry} last wrote per counter, for the most recently written {@link #MAX_KNOWN_COUNTERS}:
     * the next entry that adds to one writes it without a read. Exact because only writeEntry writes counters, into a
     * batch that commits (an apply that fails stops the group for good), and {@link #forgetWrittenValues} runs whenever
     * the store under the engine changes (open, snapshot install). Which counters it holds changes no value written.
     */
    private final Map<Counter, Long> written = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Counter, Long> eldest) {
            return size() > MAX_KNOWN_COUNTERS;
        }
    };
    /** Counters whose last written value is kept: every (account, kind) billed in the current hour, for most groups. */
    static final int MAX_KNOWN_COUNTERS = 4_096;

    /**
     * One stored counter. Its account is the one its key's UTF-8 spells: strings that encode alike (an unpaired
     * surrogate is written as '?') are one counter in the store, so they must be one here, or a remembered value of one
     * would stand in for a counter the other moved since.
     */
    private record Counter(String account, long hourMillis, UsageKind kind) {
        Counter {
            account = asStored(account);
        }
    }

    /** {@code account} as its UTF-8 key decodes: itself unless it holds a surrogate (accounts are short and ASCII). */
    private static String asStored(String account) {
        for (int i = 0; i < account.length(); i++) {
            if (Character.isSurrogate(account.charAt(i))) {
                return new String(account.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            }
        }
        return account;
    }

    /** Forgets the values written so far: the store under the engine is another from here on (recover). */
    public void forgetWrittenValues() {
        written.clear();
    }

    /**
     * Points the store at the batch of the entry being applied (null between commands). A batch other than the one the
     * pending adds were made in drops them: that entry never reached {@link #writeEntry}, so its batch was never
     * committed (its apply failed, which stops the group), and its adds must count nowhere.
     */
    public void use(StoreWriter entryWriter) {
        if (entryWriter != null && entryWriter != pendingFor) {
            pending.clear();
            pendingFor = entryWriter;
        }
        this.writer = entryWriter;
    }

    /** Adds to the entry's sum for the counter; {@link #writeEntry} writes it into the entry's batch. */
    @Override
    public void add(String account, long hourMillis, UsageKind kind, long amount) {
        pending.computeIfAbsent(new Counter(account, hourMillis, kind), counter -> new long[1])[0] += amount;
    }

    /**
     * Writes the sums the entry of batch {@code entryWriter} added into that batch: one write per counter, after a read
     * of the counter unless this store wrote it lately; a counter added to at all is written even if its sum is 0, as
     * one write per add wrote it. Called once per entry, after its last command and before its batch commits.
     */
    public void writeEntry(StoreWriter entryWriter) {
        if (entryWriter == pendingFor) {
            for (Map.Entry<Counter, long[]> sum : pending.entrySet()) {
                Counter counter = sum.getKey();
                byte[] key = key(counter.account(), counter.hourMillis(), counter.kind());
                Long known = written.get(counter);
                long old = known != null ? known : valueOf(entryWriter.get(QueueKeys.USAGE, key));
                long total = old + sum.getValue()[0];
                entryWriter.put(QueueKeys.USAGE, key, ByteBuffer.allocate(8).putLong(total).array());
                written.put(counter, total);
            }
        }
        pending.clear();
        pendingFor = null;
    }

    /**
     * The counters of hours starting in [{@code fromMillis}, {@code toMillis}), of {@code account} or (null) of every
     * account, in key order. Counters of kinds this release does not know (written by a newer one) are skipped.
     */
    public static UsageRows read(StoreReader reader, String account, long from, long toMillis) {
        // Hours are never before 1970 (leader time), and a negative start would sort after every stored hour.
        long fromMillis = Math.max(0, from);
        List<UsageRow> rows = new ArrayList<>();
        boolean[] truncated = {false};
        byte[] prefix = account == null ? new byte[0] : accountPrefix(account);
        byte[] start = account == null ? null : ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(fromMillis).array();
        reader.scan(QueueKeys.USAGE, prefix, start, (key, value) -> {
            if (key[0] == SOURCE_MARK) {
                return true;
            }
            int zero = indexOfZero(key);
            ByteBuffer fields = ByteBuffer.wrap(key, zero + 1, 9);
            long hour = fields.getLong();
            UsageKind kind = UsageKind.ofCode(fields.get() & 0xff);
            if (account != null && hour >= toMillis) {
                return false;
            }
            if (kind != null && hour >= fromMillis && hour < toMillis) {
                if (rows.size() == MAX_ROWS) {
                    truncated[0] = true;
                    return false;
                }
                rows.add(new UsageRow(new String(key, 0, zero, StandardCharsets.UTF_8), hour, kind, ByteBuffer.wrap(value).getLong()));
            }
            return true;
        });
        return new UsageRows(rows, truncated[0]);
    }

    /**
     * Adds {@code rows} unless this source already recorded {@code sequence} (or a later one): a flush proposed again
     * is counted once. One key per source ({@code [1][source]} -> the last sequence; account ids never start with
     * byte 1). Answers whether the rows were added.
     */
    public boolean recordOnce(String source, long sequence, List<UsageRow> rows) {
        byte[] key = sourceKey(source);
        byte[] last = writer.get(QueueKeys.USAGE, key);
        if (last != null && ByteBuffer.wrap(last).getLong() >= sequence) {
            return false;
        }
        for (UsageRow row : rows) {
            if (row.amount() > 0) {
                add(row.account(), row.hourMillis(), row.kind(), row.amount());
            }
        }
        writer.put(QueueKeys.USAGE, key, ByteBuffer.allocate(8).putLong(sequence).array());
        return true;
    }

    private static long valueOf(byte[] counter) {
        return counter == null ? 0 : ByteBuffer.wrap(counter).getLong();
    }

    private static byte[] sourceKey(String source) {
        byte[] utf8 = source.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(utf8.length + 1).put(SOURCE_MARK).put(utf8).array();
    }

    /** Built in one array: apply builds one for every usage add (several a request), so no account prefix first. */
    static byte[] key(String account, long hourMillis, UsageKind kind) {
        byte[] utf8 = account.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(utf8.length + 10).put(utf8).put((byte) 0).putLong(hourMillis).put((byte) kind.code())
                .array();
    }

    private static byte[] accountPrefix(String account) {
        byte[] utf8 = account.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(utf8.length + 1).put(utf8).put((byte) 0).array();
    }

    private static int indexOfZero(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("a usage key without its account separator");
    }
}
