package dev.sluice.raftstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
 * The catalog's log format may only grow: each command encodes to the bytes in
 * src/test/resources/golden/catalog. put, delete and putIfAbsent are the format logs of earlier
 * versions hold; replaceIf and deleteIf were appended (types 4 and 5) without touching them, putIfFewer (type 6,
 * feature level 2) after them.
 * (Regenerate only for a new command type: {@code -Dgolden.write=true}.)
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CatalogCommandGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/catalog");

    @Test
    void everyCommandEncodesToItsGoldenBytes() throws IOException {
        byte[] value = "v2".getBytes(StandardCharsets.UTF_8);
        byte[] expected = "v1".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> samples = new LinkedHashMap<>();
        samples.put("put", Catalog.putCommand("sns.topics", "alerts", value));
        samples.put("delete", Catalog.deleteCommand("sns.topics", "alerts"));
        samples.put("put-if-absent", Catalog.putIfAbsentCommand("sns.topics", "alerts", value));
        samples.put("replace-if", Catalog.replaceIfCommand("sns.topics", "alerts", expected, value));
        samples.put("delete-if", Catalog.deleteIfCommand("sns.topics", "alerts", expected));
        samples.put("put-if-fewer", Catalog.putIfFewerCommand("sns.topics", "111122223333/alerts", value, "111122223333/", 100));
        boolean write = Boolean.getBoolean("golden.write");
        for (var sample : samples.entrySet()) {
            Path file = GOLDEN.resolve(sample.getKey() + ".hex");
            if (write) {
                Files.writeString(file, HexFormat.of().formatHex(sample.getValue()) + "\n");
            }
            assertEquals(Files.readString(file, StandardCharsets.US_ASCII).trim(), HexFormat.of().formatHex(sample.getValue()),
                    sample.getKey());
        }
    }
}
