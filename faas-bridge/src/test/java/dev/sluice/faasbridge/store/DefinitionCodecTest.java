package dev.sluice.faasbridge.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.QueueArn;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DefinitionCodecTest {
    static final FunctionDefinition HTTP_FUNCTION = new FunctionDefinition("pager", "http://127.0.0.1:8080/invoke", null, 30, 4,
            1_790_000_000_000L);
    static final EventSourceMapping MAPPING = new EventSourceMapping("6f1b2c3d-0000-4000-8000-000000000001", "pager",
            QueueArn.parse("arn:aws:sqs:us-east-1:000000000000:alerts"), 100, 5, 7, true, List.of("{\"body\":{\"a\":[1]}}"), false,
            1_790_000_000_123L);

    @Test
    void functionsAndMappingsRoundTrip() {
        assertEquals(HTTP_FUNCTION, DefinitionCodec.decodeFunction(DefinitionCodec.encode(HTTP_FUNCTION)));
        FunctionDefinition java = new FunctionDefinition("local", null, "my-handler", 3, null, 1);
        assertEquals(java, DefinitionCodec.decodeFunction(DefinitionCodec.encode(java)));
        assertEquals(MAPPING, DefinitionCodec.decodeMapping(DefinitionCodec.encode(MAPPING)));
    }

    /** The stored format is replicated and kept across upgrades: these bytes must never change meaning. */
    @Test
    void formatMatchesTheGoldenBytes() throws IOException {
        assertArrayEquals(golden("function-v1.bin"), DefinitionCodec.encode(HTTP_FUNCTION));
        assertArrayEquals(golden("mapping-v1.bin"), DefinitionCodec.encode(MAPPING));
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] bytes = DefinitionCodec.encode(MAPPING);
        bytes[0] = 9;
        assertThrows(CorruptFrameException.class, () -> DefinitionCodec.decodeMapping(bytes));
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = DefinitionCodecTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing golden file " + name);
            }
            return in.readAllBytes();
        }
    }
}
