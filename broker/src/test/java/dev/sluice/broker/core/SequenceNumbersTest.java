package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SequenceNumbersTest {
    @Test
    void sequenceNumbersAreTwentyAsciiDigitsWhateverTheHostLocale() {
        Locale host = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-SA"));
            assertEquals("00000000000000000121", SequenceNumbers.format(121));
            assertEquals("09223372036854775807", SequenceNumbers.format(Long.MAX_VALUE));
        } finally {
            Locale.setDefault(host);
        }
    }
}
