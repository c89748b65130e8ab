package dev.sluice.clientsdk.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventPatternPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 200)
    void anyJsonCompilesToAPatternOrIsAnInvalidPatternAndMatchingNeverThrows(@ForAll("patterns") String pattern,
            @ForAll("patterns") String event) {
        JsonNode tree;
        try {
            tree = JSON.readTree(pattern);
        } catch (JsonProcessingException e) {
            return;
        }
        EventPattern compiled;
        try {
            compiled = EventPattern.compile(tree);
        } catch (InvalidPatternException e) {
            return;
        }
        try {
            compiled.matches(JSON.readTree(event));
        } catch (JsonProcessingException e) {
            compiled.matches(null);
        }
        compiled.keyCount();
        compiled.combinations();
    }

    @Provide
    Arbitrary<String> patterns() {
        return PatternJson.texts();
    }
}
