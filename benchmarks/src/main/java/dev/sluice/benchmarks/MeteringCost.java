package dev.sluice.benchmarks;

import dev.sluice.broker.core.AccountHolding;
import dev.sluice.broker.core.EntryStamp;
import dev.sluice.broker.core.ReceivedMessage;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.service.HoldingsQuotas;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.broker.storage.UsageStore;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.raftstore.storage.AppliedPosition;
import dev.sluice.raftstore.storage.EntryBatch;
import dev.sluice.raftstore.storage.RocksStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU and allocation metering adds to one round of the SQS hot path, in process and on one thread (thread CPU
 * time, so other processes on a shared machine do not count): a SendMessageBatch of 10 × 200 bytes, the
 * ReceiveMessage that returns the 10, the DeleteMessageBatch that removes them, on a tenant's queue. Steps:
 * <ul>
 *   <li>{@code edge}: the storedBytes quota check of an account that has one (sizing the batch's payload; other
 *       accounts pay one quota lookup and no sizing);</li>
 *   <li>{@code meter}: what apply's {@link UsageMeter} does for the three commands (payload sizing, 64 KiB chunks,
 *       the owner account, the rows), into a ledger that keeps nothing;</li>
 *   <li>{@code apply}: the same into {@link UsageStore} over a real RocksDB entry batch, committed as apply commits
 *       an entry, against the same batch and commit without metering (the difference is metering's).</li>
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.MeteringCost [iterations]</pre>
 */
public final class MeteringCost {
    private static final String QUEUE = "111111111111/bench-metering";
    private static final int MESSAGES = 10;

    private MeteringCost() {
    }

    public static void main(String[] args) throws IOException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<SendEntry> sent = new ArrayList<>();
        List<ReceivedMessage> received = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String body = "x".repeat(200);
            sent.add(new SendEntry("m" + i, body, null, Map.of(), null, null, null));
            received.add(new ReceivedMessage("id-" + i, "handle-" + i, body, Map.of(), Map.of()));
        }
        long hour = UsageMeter.hourOf(System.currentTimeMillis());
        EntryStamp stamp = new EntryStamp() {
            @Override
            public long nowMillis() {
                return hour + 1_000;
            }

            @Override
            public long[] uniqueBits() {
                return new long[] {1, 2};
            }
        };
        HoldingsQuotas quotas = new HoldingsQuotas(account -> new AccountHolding(account, 1_000, 0), account -> 1L << 40,
                account -> 0);
        long[] counted = new long[1];
        UsageMeter countingMeter = new UsageMeter("000000000000");
        countingMeter.use((account, hourMillis, kind, amount) -> counted[0] += amount);
        System.out.println("{\"benchmark\":\"metering-cost\",\"" + DeepBacklogBenchmark.loadAverage() + "\"}");
        Path directory = Files.createTempDirectory("sluice-metering-cost");
        try (RocksStore store = RocksStore.open(directory, QueueKeys.COLUMN_FAMILIES)) {
            UsageStore usage = new UsageStore();
            UsageMeter storingMeter = new UsageMeter("000000000000");
            storingMeter.use(usage);
            long[] index = {0};
            Runnable withMetering = () -> apply(store, index, batch -> {
                usage.use(batch);
                meterRound(storingMeter, sent, received, stamp);
                usage.writeEntry(batch);
            });
            Runnable withoutMetering = () -> apply(store, index, batch -> { });
            // Twice: the first pass warms the JIT, the second is reported.
            for (int pass = 0; pass < 2; pass++) {
                long[] edge = AccessCheckCost.cpu(threads, iterations, () -> {
                    if (quotas.storedBytesRefusal("111111111111", () -> payload(sent)) != null) {
                        throw new IllegalStateException("the benchmark's account is over its quota");
                    }
                });
                long[] meter = AccessCheckCost.cpu(threads, iterations, () -> meterRound(countingMeter, sent, received,
                        stamp));
                long[] applyWith = AccessCheckCost.cpu(threads, iterations, withMetering);
                long[] applyWithout = AccessCheckCost.cpu(threads, iterations, withoutMetering);
                if (pass == 1) {
                    report("edge: storedBytes check, account with a quota (SendMessageBatch)", edge, iterations);
                    report("meter: sizing, chunks and rows of the 3 commands, no storage", meter, iterations);
                    report("apply with metering: 3 commands' usage into a RocksDB entry batch, committed", applyWith,
                            iterations);
                    report("apply without metering: the same entry batch and commit", applyWithout, iterations);
                    report("metering in apply (with - without)", new long[] {applyWith[0] - applyWithout[0],
                            applyWith[1] - applyWithout[1]}, iterations);
                }
            }
        } finally {
            DeepBacklogBenchmark.deleteTree(directory);
        }
        if (counted[0] == 0) {
            throw new IllegalStateException("the meter counted nothing");
        }
    }

    /** What apply meters for a send of the batch, the receive of its messages and the delete of them. */
    private static void meterRound(UsageMeter meter, List<SendEntry> sent, List<ReceivedMessage> received,
            EntryStamp stamp) {
        meter.sent(QUEUE, sent, stamp);
        meter.received(QUEUE, received, stamp);
        meter.request(QUEUE, stamp);
    }

    private static long payload(List<SendEntry> entries) {
        long bytes = 0;
        for (SendEntry entry : entries) {
            bytes += MessageSize.of(entry.body(), entry.messageAttributes());
        }
        return bytes;
    }

    /** One entry's batch: {@code writes}, then the commit with the next applied position. */
    private static void apply(RocksStore store, long[] index, java.util.function.Consumer<EntryBatch> writes) {
        try (EntryBatch batch = store.newBatch()) {
            writes.accept(batch);
            batch.commit(new AppliedPosition(1, ++index[0], 0));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void report(String what, long[] cpuNanosAndBytes, int iterations) {
        double perRound = (double) cpuNanosAndBytes[0] / iterations;
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"metering-cost\",\"step\":\"%s\",\"iterations\":%d,"
                + "\"cpuNanosPerRound\":%.0f,\"cpuMsPer1kMsgs\":%.3f,\"allocatedBytesPerRound\":%d}%n", what,
                iterations, perRound, perRound * 1000 / MESSAGES / 1_000_000, cpuNanosAndBytes[1] / iterations);
    }
}
