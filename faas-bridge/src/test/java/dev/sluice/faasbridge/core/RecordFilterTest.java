package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RecordFilterTest {

    private static Message message(String body) {
        return new Message("id-1", "rh", null, body, Map.of("ApproximateReceiveCount", "1"), null,
                Map.of("team", MessageAttributeValue.ofString("String", "db")));
    }

    @Test
    void withoutFiltersEveryRecordPasses() {
        assertTrue(RecordFilter.compile(List.of()).matches(message("anything")));
    }

    @Test
    void aJsonBodyIsMatchedAsJson() {
        RecordFilter filter = RecordFilter.compile(List.of("{\"body\":{\"severity\":[\"critical\"]}}"));
        assertTrue(filter.matches(message("{\"severity\":\"critical\",\"host\":\"db-1\"}")));
        assertFalse(filter.matches(message("{\"severity\":\"info\"}")));
        assertFalse(filter.matches(message("severity critical")), "a plain-text body never matches a JSON body pattern");
    }

    @Test
    void aPlainBodyIsMatchedAsAString() {
        RecordFilter filter = RecordFilter.compile(List.of("{\"body\":[{\"prefix\":\"ALERT\"}]}"));
        assertTrue(filter.matches(message("ALERT disk full")));
        assertFalse(filter.matches(message("ok")));
    }

    @Test
    void anyOfSeveralFiltersLetsARecordThrough() {
        RecordFilter filter = RecordFilter.compile(List.of("{\"body\":{\"a\":[1]}}", "{\"body\":{\"b\":[2]}}"));
        assertTrue(filter.matches(message("{\"b\":2}")));
        assertFalse(filter.matches(message("{\"c\":3}")));
    }

    @Test
    void attributesAndMessageAttributesCanBeMatched() {
        assertTrue(RecordFilter.compile(List.of("{\"messageAttributes\":{\"team\":{\"stringValue\":[\"db\"]}}}"))
                .matches(message("x")));
        assertTrue(RecordFilter.compile(List.of("{\"attributes\":{\"ApproximateReceiveCount\":[\"1\"]}}")).matches(message("x")));
    }

    @Test
    void anInvalidPatternIsRefusedAtCreation() {
        BridgeException notJson = assertThrows(BridgeException.class, () -> RecordFilter.compile(List.of("{body")));
        assertEquals(LambdaError.INVALID_PARAMETER_VALUE, notJson.error());
        BridgeException badShape = assertThrows(BridgeException.class, () -> RecordFilter.compile(List.of("{\"body\":\"x\"}")));
        assertTrue(badShape.getMessage().contains("Invalid filter pattern definition"), badShape.getMessage());
    }

    @Test
    void aPatternNumberBeyondDoubleRangeIsAnInvalidParameterValue() {
        for (String pattern : List.of("{\"body\":{\"n\":[1e400]}}", "{\"body\":{\"n\":[{\"numeric\":[\">\",-1e400]}]}}",
                "{\"body\":{\"n\":[{\"anything-but\":[1e999]}]}}")) {
            BridgeException refused = assertThrows(BridgeException.class, () -> RecordFilter.compile(List.of(pattern)));
            assertEquals(LambdaError.INVALID_PARAMETER_VALUE, refused.error(), pattern);
        }
    }

    @Test
    void aVeryLongNumberIsRefusedWithoutNamingTheParsersInternals() {
        String pattern = "{\"body\":{\"n\":[" + "9".repeat(5000) + "]}}";
        BridgeException refused = assertThrows(BridgeException.class, () -> RecordFilter.compile(List.of(pattern)));
        assertEquals(LambdaError.INVALID_PARAMETER_VALUE, refused.error());
        assertFalse(refused.getMessage().contains("StreamReadConstraints"), refused.getMessage());
    }

    @Test
    void aRecordHoldingANumberBeyondDoubleRangeMatchesNoNumericCondition() {
        RecordFilter filter = RecordFilter.compile(List.of("{\"body\":{\"n\":[{\"numeric\":[\">\",0]}]}}"));
        assertFalse(filter.matches(message("{\"n\":1e400}")));
        assertTrue(filter.matches(message("{\"n\":1e300}")));
    }

    @Test
    void aPatternThatIsNotJsonIsRefusedInOurWords() {
        BridgeException refused = assertThrows(BridgeException.class, () -> RecordFilter.compile(List.of("{\"body\":")));
        assertTrue(refused.getMessage().contains("not valid JSON at line 1"), refused.getMessage());
        assertFalse(refused.getMessage().contains("Source") || refused.getMessage().contains("marker"), refused.getMessage());
    }

    @Test
    void aPatternWithAKeyGivenTwiceIsRefused() {
        BridgeException refused = assertThrows(BridgeException.class,
                () -> RecordFilter.compile(List.of("{\"body\":{\"n\":[1e400],\"n\":[0]}}")));
        assertEquals(LambdaError.INVALID_PARAMETER_VALUE, refused.error());
    }
}
