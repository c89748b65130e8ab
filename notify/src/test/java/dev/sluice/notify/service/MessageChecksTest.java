package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageChecksTest {

    @Test
    void numberAttributesHoldSnsNumbersOnly() {
        for (String ok : new String[] {"0", "-0.0", "1e126", "-9.99e126", "1e-128", "12345678901234567890123456789012345678",
                "1000000000000000000000000000000000000000000000"}) {
            assertTrue(MessageChecks.isSnsNumber(ok), ok);
        }
        for (String bad : new String[] {"1e400", "-1e400", "1e127", "1e-129", "123456789012345678901234567890123456789",
                "9".repeat(5000), "1e99999999999", "NaN", "Infinity", "0x10", ""}) {
            assertFalse(MessageChecks.isSnsNumber(bad), bad);
        }
    }

    @Test
    void aNumberAttributeOutOfRangeIsParameterValueInvalid() {
        SnsException refused = assertThrows(SnsException.class, () -> MessageChecks.check("hello", null, null,
                Map.of("n", MessageAttributeValue.ofString("Number", "1e400"))));
        assertEquals(SnsError.INVALID_PARAMETER_VALUE, refused.error());
    }

    @Test
    void messagesWithCharactersSqsRefusesAreInvalidParameters() {
        for (String message : new String[] {"a\u0000b", "bell\u0007", "\uD800 lone surrogate", "\uFFFF", "x\uDC00"}) {
            SnsException refused = assertThrows(SnsException.class, () -> MessageChecks.check(message, null, null, Map.of()));
            assertEquals(SnsError.INVALID_PARAMETER, refused.error());
        }
        assertDoesNotThrow(() -> MessageChecks.check("tab\tnew\nline\r \uD83D\uDE00 \uE000", null, null, Map.of()));
    }

    @Test
    void attributeValuesWithControlCharactersAreParameterValueInvalid() {
        SnsException refused = assertThrows(SnsException.class, () -> MessageChecks.check("hello", null, null,
                Map.of("s", MessageAttributeValue.ofString("String", "a\u0000b"))));
        assertEquals(SnsError.INVALID_PARAMETER_VALUE, refused.error());
        SnsException badType = assertThrows(SnsException.class, () -> MessageChecks.check("hello", null, null,
                Map.of("s", MessageAttributeValue.ofString("String.\u0000", "a"))));
        assertFalse(badType.getMessage().contains("\u0000"));
    }

    @Test
    void aJsonStructuredMessageWhoseEscapesDecodeToRefusedCharactersIsAnInvalidParameter() {
        SnsException refused = assertThrows(SnsException.class, () -> MessageChecks.check(
                "{\"default\":\"ok\",\"sqs\":\"a\\u0000b\"}", null, "json", Map.of()));
        assertEquals(SnsError.INVALID_PARAMETER, refused.error());
        assertDoesNotThrow(() -> MessageChecks.check("{\"default\":\"tab\\t\"}", null, "json", Map.of()));
    }
}
