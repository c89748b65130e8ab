package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The validator without decoding agrees with the JDK's strict decoder on every input. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StrictUtf8Test {

    @Test
    void shortestFormsAreValidAndOverlongSurrogateAndOutOfRangeFormsAreNot() {
        for (String valid : new String[] {"", "a", "c3a9", "e282ac", "f09f9880", "f48fbfbf", "ed9fbf", "ee8080"}) {
            byte[] bytes = valid.length() <= 1 ? valid.getBytes(StandardCharsets.UTF_8) : HexFormat.of().parseHex(valid);
            assertTrue(StrictUtf8.isValid(bytes), valid);
        }
        for (String invalid : new String[] {"c0af", "c180", "e080af", "eda080", "edbfbf", "f08080af", "f4908080", "f5808080",
                "ff", "80", "c3", "e282", "f09f98", "c328"}) {
            assertFalse(StrictUtf8.isValid(HexFormat.of().parseHex(invalid)), invalid);
        }
    }

    @Property(tries = 1000)
    void agreesWithTheStrictDecoderOnArbitraryBytes(@ForAll("nearlyUtf8") byte[] bytes) {
        assertEquals(StrictUtf8.decodeOrNull(bytes) != null, StrictUtf8.isValid(bytes), HexFormat.of().formatHex(bytes));
    }

    @Property(tries = 300)
    void everyEncodedStringIsValid(@ForAll String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(StrictUtf8.decodeOrNull(bytes) != null, StrictUtf8.isValid(bytes));
    }

    /** Mostly the bytes that matter at boundaries (lead and continuation bytes), some anything. */
    @Provide
    Arbitrary<byte[]> nearlyUtf8() {
        Arbitrary<Byte> interesting = Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF).map(Integer::byteValue);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(12);
    }
}
