package dev.sluice.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class ConfigValuesTest {

    @Test
    void durationsReadShortUnitsAndIso8601() {
        assertEquals(Duration.ofMillis(500), ConfigValues.duration("500ms"));
        assertEquals(Duration.ofSeconds(10), ConfigValues.duration(" 10s "));
        assertEquals(Duration.ofMinutes(2), ConfigValues.duration("2m"));
        assertEquals(Duration.ofHours(1), ConfigValues.duration("1h"));
        assertEquals(Duration.ofMillis(1500), ConfigValues.duration("PT1.5S"));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.duration("10 seconds"));
    }

    @Test
    void durationsPrintInTheLargestWholeUnit() {
        assertEquals("10s", ConfigValues.format(Duration.ofSeconds(10)));
        assertEquals("1500ms", ConfigValues.format(Duration.ofMillis(1500)));
        assertEquals("2m", ConfigValues.format(Duration.ofSeconds(120)));
        assertEquals("1h", ConfigValues.format(Duration.ofMinutes(60)));
        assertEquals("0s", ConfigValues.format(Duration.ZERO));
        assertEquals(Duration.ofNanos(1500), ConfigValues.duration(ConfigValues.format(Duration.ofNanos(1500))));
    }

    @Test
    void sizesUseBinaryUnitsBothWays() {
        assertEquals(new ByteSize(512), ByteSize.parse("512"));
        assertEquals(ByteSize.ofKibibytes(256), ByteSize.parse("256KiB"));
        assertEquals(ByteSize.ofMebibytes(4), ByteSize.parse("4mib"));
        assertEquals("4MiB", ByteSize.ofMebibytes(4).toString());
        assertEquals("1536KiB", ByteSize.ofKibibytes(1536).toString());
        assertEquals("100B", new ByteSize(100).toString());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("4MB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("9999999999GiB"));
    }
}
