package dev.sluice.notify.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.filter.PatternJson;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SnsFilterPolicyPropertyTest {

    @Property(tries = 100)
    void anyPolicyTextIsAPolicyOrAnInvalidParameterAndMatchingNeverThrows(@ForAll("policies") String policy,
            @ForAll("policies") String body, @ForAll("numbers") String number) {
        for (SnsFilterPolicy.Scope scope : SnsFilterPolicy.Scope.values()) {
            SnsFilterPolicy parsed;
            try {
                parsed = SnsFilterPolicy.parse(policy, scope);
            } catch (SnsException e) {
                assertEquals(SnsError.INVALID_PARAMETER, e.error(), e.getMessage());
                continue;
            }
            if (parsed != null) {
                parsed.matches(body, Map.of("a", MessageAttributeValue.ofString("Number", number),
                        "b", MessageAttributeValue.ofString("String.Array", body),
                        "price", MessageAttributeValue.ofString("String", number)));
            }
        }
    }

    @Provide
    Arbitrary<String> policies() {
        return PatternJson.texts();
    }

    @Provide
    Arbitrary<String> numbers() {
        return PatternJson.number();
    }
}
