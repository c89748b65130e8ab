package dev.sluice.notify.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
class SnsFilterPolicyTest {
    private static final SnsFilterPolicy.Scope ATTRIBUTES = SnsFilterPolicy.Scope.MESSAGE_ATTRIBUTES;

    @Test
    void attributesAreTypedAsSnsComparesThem() {
        SnsFilterPolicy numbers = SnsFilterPolicy.parse("{\"price\":[{\"numeric\":[\">=\",10]}]}", ATTRIBUTES);
        assertTrue(numbers.matches("", Map.of("price", MessageAttributeValue.ofString("Number", "10.0"))));
        assertFalse(numbers.matches("", Map.of("price", MessageAttributeValue.ofString("String", "10"))));
        SnsFilterPolicy arrays = SnsFilterPolicy.parse("{\"tags\":[\"b\"]}", ATTRIBUTES);
        assertTrue(arrays.matches("", Map.of("tags", MessageAttributeValue.ofString("String.Array", "[\"a\",\"b\"]"))));
        SnsFilterPolicy binary = SnsFilterPolicy.parse("{\"blob\":[{\"exists\":true}]}", ATTRIBUTES);
        assertFalse(binary.matches("", Map.of("blob", MessageAttributeValue.ofBinary("Binary", new byte[] {1}))));
    }

    @Test
    void bodyScopeFiltersTheJsonBodyAndNeverMatchesOtherBodies() {
        SnsFilterPolicy policy = SnsFilterPolicy.parse("{\"a\":{\"b\":[\"c\"]}}", SnsFilterPolicy.Scope.MESSAGE_BODY);
        assertTrue(policy.matches("{\"a\":{\"b\":\"c\"}}", Map.of()));
        assertFalse(policy.matches("plain text", Map.of()));
        assertFalse(policy.matches("[1]", Map.of()));
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanOneSilentlyWinning() {
        // Jackson would keep the last value: {"a":[1e400],"a":[0]} would pass as {"a":[0]}.
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse("{\"a\":[1e400],\"a\":[0]}", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse("{\"a\":{\"b\":[1],\"b\":[2]}}",
                SnsFilterPolicy.Scope.MESSAGE_BODY));
    }

    @Test
    void snsLimitsAndScopesAreEnforced() {
        assertNull(SnsFilterPolicy.parse("{}", ATTRIBUTES));
        assertNull(SnsFilterPolicy.parse("", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse("{\"a\":{\"b\":[\"c\"]}}", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse(
                "{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse(
                "{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],\"b\":[1,2,3,4,5,6,7,8,9,10]}", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse("{\"a\":[1000000001]}", ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.parse("{\"a\":[\"" + "x".repeat(256 * 1024) + "\"]}",
                ATTRIBUTES));
        assertThrows(SnsException.class, () -> SnsFilterPolicy.scope("Everything"));
    }

    @Test
    void numbersBeyondDoubleRangeAreAnInvalidParameterInBothScopes() {
        for (SnsFilterPolicy.Scope scope : SnsFilterPolicy.Scope.values()) {
            for (String policy : new String[] {"{\"a\":[1e400]}", "{\"a\":[-1e400]}",
                    "{\"a\":[{\"numeric\":[\">\",1e400]}]}", "{\"a\":[{\"anything-but\":[1e999]}]}",
                    "{\"a\":[" + "9".repeat(500) + "]}", "{\"a\":[" + "9".repeat(5000) + "]}"}) {
                SnsException refused = assertThrows(SnsException.class, () -> SnsFilterPolicy.parse(policy, scope), policy);
                assertEquals(SnsError.INVALID_PARAMETER, refused.error(), policy);
                assertTrue(refused.getMessage().startsWith("Invalid parameter: FilterPolicy: "), refused.getMessage());
            }
        }
    }

    @Test
    void aBodyHoldingANumberBeyondDoubleRangeMatchesNoNumericPolicy() {
        SnsFilterPolicy policy = SnsFilterPolicy.parse("{\"n\":[{\"numeric\":[\">\",0]}]}", SnsFilterPolicy.Scope.MESSAGE_BODY);
        assertFalse(policy.matches("{\"n\":1e400}", Map.of()));
        assertTrue(policy.matches("{\"n\":5}", Map.of()));
    }
}
