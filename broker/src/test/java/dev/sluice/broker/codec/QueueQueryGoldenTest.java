package dev.sluice.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.broker.core.QueueExport;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.QueueQueryType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Queue queries travel between nodes of different releases during a rolling upgrade (a follower asks the leader):
 * their codes are append-only and the queries added for migration keep their bytes (src/test/resources/golden/queries;
 * regenerate only for a new query type: {@code -Dgolden.write=true}).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueQueryGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/queries");

    static Map<String, QueueQuery> samples() {
        Map<String, QueueQuery> samples = new LinkedHashMap<>();
        samples.put("export-queue", new QueueQuery.ExportQueue("orders.fifo", QueueExport.Position.START, 262_144, 1_000_000));
        samples.put("export-queue-deduplications", new QueueQuery.ExportQueue("orders.fifo",
                new QueueExport.Position(QueueExport.Phase.DEDUPLICATIONS, 0, "order-42-paid"), 262_144, 1_000_000));
        samples.put("export-queue-receive-attempts", new QueueQuery.ExportQueue("orders.fifo",
                new QueueExport.Position(QueueExport.Phase.ATTEMPTS, 0, "attempt-7"), 262_144, 1_000_000));
        samples.put("peek-messages", new QueueQuery.PeekMessages("orders.fifo", 10, 1_000_000));
        samples.put("receivable", new QueueQuery.Receivable("orders.fifo"));
        samples.put("queue-stats", new QueueQuery.Stats(java.util.List.of("orders.fifo", "audit"), 1_000_000));
        samples.put("usage", new QueueQuery.Usage("111111111111", 3_600_000, 7_200_000));
        samples.put("usage-every-account", new QueueQuery.Usage("", 0, 3_600_000));
        samples.put("account-holdings", new QueueQuery.AccountHoldings(java.util.List.of("111111111111", "222222222222")));
        return samples;
    }

    @Test
    void everyQueryTypeKeepsItsWireCode() {
        Map<QueueQueryType, Integer> frozen = new LinkedHashMap<>();
        frozen.put(QueueQueryType.ATTRIBUTES, 1);
        frozen.put(QueueQueryType.EXISTS, 2);
        frozen.put(QueueQueryType.LIST_QUEUES, 3);
        frozen.put(QueueQueryType.TAGS, 4);
        frozen.put(QueueQueryType.DEAD_LETTER_SOURCES, 5);
        frozen.put(QueueQueryType.MOVE_TASKS_OF, 6);
        frozen.put(QueueQueryType.DEAD_LETTER_SOURCES_ANYWHERE, 7);
        frozen.put(QueueQueryType.REDRIVE_TARGET, 8);
        frozen.put(QueueQueryType.LIVE_DEDUPLICATION, 9);
        frozen.put(QueueQueryType.EXPORT_QUEUE, 10);
        frozen.put(QueueQueryType.PEEK_MESSAGES, 11);
        frozen.put(QueueQueryType.RECEIVABLE, 12);
        frozen.put(QueueQueryType.QUEUE_STATS, 13);
        frozen.put(QueueQueryType.USAGE, 14);
        frozen.put(QueueQueryType.ACCOUNT_HOLDINGS, 15);
        Map<QueueQueryType, Integer> actual = new LinkedHashMap<>();
        for (QueueQueryType type : QueueQueryType.values()) {
            actual.put(type, type.code());
        }
        assertEquals(frozen, actual, "the query registry is append-only: add new types, never change a code");
        assertNull(QueueQueryType.ofCode(frozen.values().stream().mapToInt(Integer::intValue).max().orElseThrow() + 1));
    }

    @Test
    void everyMigrationQueryEncodesToItsGoldenBytesAndDecodesBack() throws IOException {
        boolean write = Boolean.getBoolean("golden.write");
        Files.createDirectories(GOLDEN);
        for (var sample : samples().entrySet()) {
            Path file = GOLDEN.resolve(sample.getKey() + ".hex");
            byte[] encoded = QueueQueryCodec.encode(sample.getValue());
            if (write) {
                Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
            }
            String golden = Files.readString(file, StandardCharsets.US_ASCII).trim();
            assertEquals(golden, HexFormat.of().formatHex(encoded), sample.getKey());
            assertEquals(sample.getValue(), QueueQueryCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(golden))),
                    sample.getKey() + " round trip");
        }
    }

    /** The usage answer crosses releases too (any node sums every group's); a kind it does not know is left out. */
    @Test
    void theUsageAnswerKeepsItsGoldenBytes() throws IOException {
        var rows = java.util.List.of(
                new dev.sluice.broker.core.UsageRow("111111111111", 3_600_000, dev.sluice.broker.core.UsageKind.SQS_REQUESTS, 11),
                new dev.sluice.broker.core.UsageRow("111111111111", 3_600_000, dev.sluice.broker.core.UsageKind.SQS_BYTES_OUT, 194_565));
        var out = QueueResultCodec.ok();
        QueueResultCodec.putUsage(out, rows, false);
        byte[] encoded = out.toByteArray();
        Path file = GOLDEN.resolve("usage.answer.hex");
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
        }
        String golden = Files.readString(file, StandardCharsets.US_ASCII).trim();
        assertEquals(golden, HexFormat.of().formatHex(encoded));
        assertEquals(new dev.sluice.broker.core.UsageRows(rows, false),
                QueueResultCodec.getUsage(QueueResultCodec.open(ByteBuffer.wrap(HexFormat.of().parseHex(golden)))));
    }

    /** The stats answer crosses releases too: a node asks another group's leader, which may run the other release. */
    @Test
    void theQueueStatsAnswerKeepsItsGoldenBytes() throws IOException {
        var answer = java.util.List.of(new dev.sluice.broker.core.QueueStats(
                new dev.sluice.broker.core.QueueDepth("orders.fifo", 5, 2, 1, 61_000),
                new dev.sluice.broker.core.QueueCounts(40, 33, 30, 3)));
        var out = QueueResultCodec.ok();
        QueueResultCodec.putStats(out, answer);
        byte[] encoded = out.toByteArray();
        Path file = GOLDEN.resolve("queue-stats.answer.hex");
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
        }
        String golden = Files.readString(file, StandardCharsets.US_ASCII).trim();
        assertEquals(golden, HexFormat.of().formatHex(encoded));
        assertEquals(answer, QueueResultCodec.getStats(QueueResultCodec.open(ByteBuffer.wrap(HexFormat.of().parseHex(golden)))));
    }
}
