package dev.sluice.benchmarks;

import dev.sluice.broker.core.EntryStamp;
import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.core.ReceivedMessage;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.broker.storage.QueueRecovery;
import dev.sluice.broker.storage.RocksQueueStorage;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The deep-backlog measurement (issue 17, target 1): one queue engine ({@link QueueBook}) over a real RocksDB store on
 * a temp directory, filled with {@code -Dmessages} messages of {@code -Dbody.bytes} bytes, sent in entries of
 * {@code -Dentry.messages} (10 a send, as SQS batches), each entry one committed write batch, as the state machine
 * applies them. Prints the send rate per million, the live heap per queued message after a full GC, the p50/p99 of a
 * receive of 10 (apply plus commit) at that depth and on a near-empty queue, and the time to reopen the store and
 * rebuild the index (what a restarting node does before it applies the Raft log's tail). Raft and HTTP are left out:
 * they cost the same at any depth. {@code -Dfull.index=true} sends every message with a 1 s delay, so it is indexed
 * the way every message was before the compact backlog (an object and tree nodes), for the comparison.
 *
 * <p>Run it with {@code java -Xmx512m -cp benchmarks/target/benchmarks-*.jar dev.sluice.benchmarks.DeepBacklogBenchmark}.
 */
public final class DeepBacklogBenchmark {
    private static final String ACCOUNT = "000000000000";
    private static final long SEND_TIME = 1_700_000_000_000L;

    private final long messages = Long.getLong("messages", 1_000_000);
    private final int bodyBytes = Integer.getInteger("body.bytes", 200);
    private final int entryMessages = Integer.getInteger("entry.messages", 1_000);
    private final int probes = Integer.getInteger("probes", 2_000);
    private final boolean fullIndex = Boolean.getBoolean("full.index");
    private final Path directory;
    private long index;
    private long sequence;
    private long now = SEND_TIME;

    private DeepBacklogBenchmark(Path directory) {
        this.directory = directory;
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("dir", System.getProperty("java.io.tmpdir"))),
                "deep-backlog");
        try {
            new DeepBacklogBenchmark(directory).run();
        } finally {
            deleteTree(directory);
        }
    }

    private void run() throws IOException {
        fillAndReceive();
        restart(); // the first engine is out of reach now, so the heap after the restart is the rebuilt index's
    }

    private void fillAndReceive() throws IOException {
        System.out.printf("deep backlog: %,d messages of %,d bytes, %,d a write batch, full index %s, max heap %,d MB, %s%n",
                messages, bodyBytes, entryMessages, fullIndex, Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        RocksStore store = RocksStore.open(directory, QueueKeys.COLUMN_FAMILIES);
        RocksQueueStorage storage = new RocksQueueStorage();
        QueueBook book = newBook(storage);
        apply(store, storage, () -> {
            book.createQueue("deep", Map.of(), Map.of(), stamp());
            book.createQueue("shallow", Map.of(), Map.of(), stamp());
        });
        long heapBefore = liveHeap();
        fill(store, storage, book);
        if (fullIndex) {
            now += 2_000;
            apply(store, storage, () -> book.receive("shallow", 1, null, null, stamp()));
            apply(store, storage, () -> promoteAll(book));
        }
        long heapFilled = liveHeap();
        System.out.printf("live heap: %,d bytes before, %,d after filling: %.1f bytes a queued message%n", heapBefore, heapFilled,
                (heapFilled - heapBefore) / (double) messages);
        awaitCompactions(store);
        Histogram deep = new Histogram(3);
        Histogram shallow = new Histogram(3);
        Histogram deepCpu = new Histogram(3);
        Histogram shallowCpu = new Histogram(3);
        // Warm-up (JIT) first, then the two queues' receives interleaved, so that both meet the same load.
        int warmUp = Math.min(probes / 4, 500);
        for (int probe = 0; probe < probes + warmUp; probe++) {
            boolean counted = probe >= warmUp;
            receive(store, storage, book, "deep", false, counted ? deep : new Histogram(3), counted ? deepCpu : new Histogram(3));
            receive(store, storage, book, "shallow", true, counted ? shallow : new Histogram(3),
                    counted ? shallowCpu : new Histogram(3));
        }
        System.out.printf("receive of 10 (apply + commit), %,d probes each, interleaved: at depth %,d p50 %d us p99 %d us; "
                + "near-empty queue p50 %d us p99 %d us; p99 ratio %.2f%n", probes, messages, deep.getValueAtPercentile(50),
                deep.getValueAtPercentile(99),
                shallow.getValueAtPercentile(50), shallow.getValueAtPercentile(99),
                deep.getValueAtPercentile(99) / (double) shallow.getValueAtPercentile(99));
        System.out.printf("the same receives in this thread's CPU time (less bent by the machine's load): at depth p50 %d us p99 %d us; "
                + "near-empty p50 %d us p99 %d us; p99 ratio %.2f%n", deepCpu.getValueAtPercentile(50), deepCpu.getValueAtPercentile(99),
                shallowCpu.getValueAtPercentile(50), shallowCpu.getValueAtPercentile(99),
                deepCpu.getValueAtPercentile(99) / (double) shallowCpu.getValueAtPercentile(99));
        store.close();
    }

    private void fill(RocksStore store, RocksQueueStorage storage, QueueBook book) throws IOException {
        String body = "b".repeat(bodyBytes);
        Integer delay = fullIndex ? 1 : null;
        long started = System.nanoTime();
        long lapStarted = started;
        for (long sent = 0; sent < messages; ) {
            long inEntry = Math.min(entryMessages, messages - sent);
            apply(store, storage, () -> {
                for (long i = 0; i < inEntry; i += 10) {
                    List<SendEntry> batch = new ArrayList<>(10);
                    for (int j = 0; j < 10 && i + j < inEntry; j++) {
                        batch.add(new SendEntry(Integer.toString(j), body, delay, null, null, null, null));
                    }
                    book.send("deep", batch, stamp());
                }
            });
            sent += inEntry;
            if (sent % 1_000_000 == 0 || sent == messages) {
                long lapNanos = System.nanoTime() - lapStarted;
                System.out.printf("sent %,d: the last %,d at %,.0f messages/s%n", sent, sent % 1_000_000 == 0 ? 1_000_000 : sent % 1_000_000,
                        (sent % 1_000_000 == 0 ? 1_000_000 : sent % 1_000_000) * 1e9 / lapNanos);
                lapStarted = System.nanoTime();
            }
        }
        System.out.printf("filled %,d messages in %,.1f s%n", messages, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Waits (at most two minutes) until RocksDB has no flush or compaction running or pending: right after the fill, the
     * compaction of its files takes both cores of a small machine for a while and would be measured as receive time.
     */
    private static void awaitCompactions(RocksStore store) {
        long started = System.nanoTime();
        long deadline = started + 120_000_000_000L;
        while (System.nanoTime() < deadline && (store.longProperty("rocksdb.num-running-compactions") > 0
                || store.longProperty("rocksdb.compaction-pending") > 0 || store.longProperty("rocksdb.num-running-flushes") > 0)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.printf("waited %,d ms for RocksDB's background compactions after the fill%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** The full-index run's messages became visible: one receive on the deep queue promotes them all. */
    private void promoteAll(QueueBook book) {
        List<ReceivedMessage> one = book.receive("deep", 1, 0, null, stamp());
        if (one.size() != 1) {
            throw new IllegalStateException("the deep queue gave nothing after its delay");
        }
    }

    /** Receives 10 and deletes them, recording the receive's time; the shallow queue is sent 10 before. */
    private void receive(RocksStore store, RocksQueueStorage storage, QueueBook book, String queue, boolean sendFirst,
            Histogram micros, Histogram cpuMicros) throws IOException {
        String body = "b".repeat(bodyBytes);
        {
            if (sendFirst) {
                apply(store, storage, () -> {
                    List<SendEntry> batch = new ArrayList<>(10);
                    for (int j = 0; j < 10; j++) {
                        batch.add(new SendEntry(Integer.toString(j), body, null, null, null, null, null));
                    }
                    book.send(queue, batch, stamp());
                });
            }
            List<ReceivedMessage> received = new ArrayList<>();
            var threads = ManagementFactory.getThreadMXBean();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            apply(store, storage, () -> received.addAll(book.receive(queue, 10, 30, null, stamp())));
            micros.recordValue((System.nanoTime() - started) / 1_000);
            cpuMicros.recordValue((threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000);
            if (received.size() != 10) {
                throw new IllegalStateException(queue + " gave " + received.size() + " messages, not 10");
            }
            apply(store, storage, () -> book.delete(queue, received.stream()
                    .map(message -> new HandleEntry(message.messageId(), message.receiptHandle())).toList()));
        }
    }

    private void restart() throws IOException {
        long started = System.nanoTime();
        long expected = messages - 10L * (probes + Math.min(probes / 4, 500));
        var threads = ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        try (RocksStore store = RocksStore.open(directory, QueueKeys.COLUMN_FAMILIES)) {
            long openedNanos = System.nanoTime() - started;
            QueueBook book = newBook(new RocksQueueStorage());
            QueueRecovery.load(store, book);
            long readyNanos = System.nanoTime() - started;
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStarted;
            long scanStarted = System.nanoTime();
            long[] keys = {0};
            store.scan(QueueKeys.MESSAGES, new byte[0], null, (key, value) -> ++keys[0] > 0);
            System.out.printf("restart breakdown: store open %,d ms; open + rebuild took %,d ms of this thread's CPU; a bare scan of "
                    + "the %,d stored messages afterwards (page cache warm) %,d ms%n", openedNanos / 1_000_000, cpuNanos / 1_000_000,
                    keys[0], (System.nanoTime() - scanStarted) / 1_000_000);
            long queued = Long.parseLong(book.attributes("deep", List.of("All"), now)
                    .get("ApproximateNumberOfMessages"));
            System.out.printf("restart: store opened and index rebuilt in %,d ms (%,.0f ms per million queued); %,d messages "
                    + "visible, %,d expected; live heap after %,d bytes%n", readyNanos / 1_000_000,
                    readyNanos / 1e6 / (messages / 1e6), queued, expected, liveHeap());
            if (queued != expected) {
                throw new IllegalStateException("the restart lost messages");
            }
        }
    }

    private interface EntryBody {
        void apply();
    }

    /** One Raft entry's worth of work: everything in {@code body} commits in one write batch. */
    private void apply(RocksStore store, RocksQueueStorage storage, EntryBody body) throws IOException {
        try (EntryBatch batch = store.newBatch()) {
            storage.use(batch);
            body.apply();
            index++;
            batch.commit(new AppliedPosition(1, index, now));
        }
    }

    private EntryStamp stamp() {
        return new EntryStamp() {
            @Override
            public long nowMillis() {
                return now;
            }

            @Override
            public long[] uniqueBits() {
                sequence++;
                return new long[] {sequence * 0x9E3779B97F4A7C15L, sequence};
            }
        };
    }

    private static QueueBook newBook(RocksQueueStorage storage) {
        SqsLimits limits = SqsLimits.defaults();
        return new QueueBook(new QueueAttributeCodec(limits.queueAttributeBounds()), "us-east-1", ACCOUNT,
                limits.engineLimits(), storage, name -> { });
    }

    /** The heap used after full collections (System.gc() is a full GC with the default G1 unless disabled). */
    private static long liveHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    static String loadAverage() {
        try {
            return "load " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "load unknown";
        }
    }

    static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
