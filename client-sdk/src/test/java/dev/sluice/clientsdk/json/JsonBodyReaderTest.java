package dev.sluice.clientsdk.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonBodyReaderTest {
    /** The caller's error, as a catalogue would build it. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private static final JsonBodyReader READER = new JsonBodyReader(Refused::new);
    private static final Set<String> FIELDS = Set.of("name", "count", "tags", "list", "on");

    private static ObjectNode read(String body) {
        return READER.object(body.getBytes(StandardCharsets.UTF_8), FIELDS);
    }

    private static String refusal(Runnable read) {
        return assertThrows(Refused.class, read::run).getMessage();
    }

    @Test
    void anEmptyBodyIsAnEmptyObjectAndANullMemberIsAbsent() {
        assertEquals(0, READER.object(new byte[0], FIELDS).size());
        assertNull(READER.text(read("{\"name\":null}"), "name", "name"));
    }

    @Test
    void wellTypedMembersAreRead() {
        ObjectNode root = read("{\"name\":\"a\",\"count\":7,\"tags\":{\"k\":\"v\"},\"list\":[\"x\"],\"on\":true}");
        assertEquals("a", READER.text(root, "name", "name"));
        assertEquals(7, READER.integer(root, "count", "count"));
        assertEquals(Map.of("k", "v"), READER.stringMap(root, "tags", "tags"));
        assertEquals(List.of("x"), READER.strings(root, "list", "list"));
        assertEquals(true, READER.bool(root, "on", "on"));
    }

    @Test
    void nothingIsCoercedAndEveryRefusalNamesTheFieldAndTheRule() {
        assertEquals("name must be a string.", refusal(() -> READER.text(read("{\"name\":5}"), "name", "name")));
        assertTrue(refusal(() -> READER.integer(read("{\"count\":1.5}"), "count", "count")).startsWith("count must be an integer"));
        assertTrue(refusal(() -> READER.integer(read("{\"count\":1e400}"), "count", "count")).startsWith("count must be an integer"));
        assertTrue(refusal(() -> READER.integer(read("{\"count\":\"7\"}"), "count", "count")).startsWith("count must be an integer"));
        assertEquals("on must be true or false.", refusal(() -> READER.bool(read("{\"on\":\"true\"}"), "on", "on")));
        assertEquals("list[1] must be a string.", refusal(() -> READER.strings(read("{\"list\":[\"a\",null]}"), "list", "list")));
        assertEquals("tags.k must be a string.", refusal(() -> READER.stringMap(read("{\"tags\":{\"k\":null}}"), "tags", "tags")));
        assertEquals("name must not contain the character U+0000.",
                refusal(() -> READER.text(read("{\"name\":\"a\\u0000\"}"), "name", "name")));
    }

    @Test
    void aBodyThatIsNotOneObjectOfKnownFieldsIsRefused() {
        assertEquals("The request body must be a JSON object.", refusal(() -> read("null")));
        assertEquals("The request body must be a JSON object.", refusal(() -> read("[{}]")));
        assertTrue(refusal(() -> read("{\"other\":1}")).startsWith("Unknown field other;"));
        assertTrue(refusal(() -> read("{\"name\":\"a\",\"name\":\"b\"}")).startsWith("The request body is not valid JSON"));
        assertTrue(refusal(() -> read("{\"list\":" + "[".repeat(100) + "]".repeat(100) + "}")).startsWith("The request body is not valid JSON"));
        assertEquals("The request body is not valid UTF-8.",
                refusal(() -> READER.object(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, FIELDS)));
    }

    @Property(tries = 200)
    void anyBytesAreReadOrRefusedInOurWords(@ForAll byte[] body) {
        try {
            READER.object(body, FIELDS);
        } catch (Refused e) {
            assertTrue(!e.getMessage().contains("Jackson") && !e.getMessage().contains("java.")
                    && !e.getMessage().contains("Source"), e.getMessage());
        }
    }
}
