package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stored layout's format may only grow: a sample encodes to the bytes in
 * src/test/resources/golden/membership/layout-v1.hex (regenerate only for a new format: {@code -Dgolden.write=true}).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LayoutCodecGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/membership/layout-v1.hex");

    static ClusterLayout sample() {
        return new ClusterLayout(List.of(
                new ClusterLayout.Node("n1", "10.0.0.1", 9325, "http://10.0.0.1:9324", ClusterLayout.NodeState.ACTIVE),
                new ClusterLayout.Node("n2", "10.0.0.2", 9325, "", ClusterLayout.NodeState.LEAVING),
                new ClusterLayout.Node("n3", "10.0.0.3", 9325, "", ClusterLayout.NodeState.REPLACING)),
                List.of(new ClusterLayout.Group("catalog", 0, List.of("n1", "n3"), ""),
                        new ClusterLayout.Group("data-0", 2, List.of("n3", "n1"), "n3")));
    }

    @Test
    void theLayoutEncodesToItsGoldenBytesAndBack() throws IOException {
        byte[] encoded = LayoutCodec.encode(sample());
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(GOLDEN, HexFormat.of().formatHex(encoded) + "\n");
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.US_ASCII).trim(), HexFormat.of().formatHex(encoded));
        assertEquals(sample(), LayoutCodec.decode(encoded));
    }

    @Test
    void aFormatVersionThisCodeDoesNotKnowIsRefused() {
        byte[] encoded = LayoutCodec.encode(sample());
        encoded[0] = 2;
        assertThrows(IllegalStateException.class, () -> LayoutCodec.decode(encoded));
    }
}
