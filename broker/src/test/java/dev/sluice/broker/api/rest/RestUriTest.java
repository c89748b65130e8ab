package dev.sluice.broker.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.SqsException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RestUriTest {

    @Test
    void pathParametersAreDecodedFromTheRawPath() {
        assertEquals(Map.of("name", "q", "receiptHandle", "a/b+c"),
                RestUri.pathParameters("/queues/{name}/messages/{receiptHandle}", "/queues/q/messages/a%2Fb+c"));
    }

    @Test
    void queryParametersKeepTheirOrderAndFormSpaces() {
        assertEquals(Map.of("a", List.of("x y", "é"), "b", List.of("")), RestUri.query("a=x+y&b&a=%C3%A9"));
    }

    @Test
    void malformedEscapesAndInvalidUtf8AreRefused() {
        for (String raw : List.of("%", "%z", "%zz", "a%2", "%C3%28", "%C0%AF", "%ED%A0%80", "%FF", "%F8%88%80%80%80")) {
            assertEquals("InvalidParameterValue",
                    assertThrows(SqsException.class, () -> RestUri.query("p=" + raw), raw).error().code());
            assertThrows(SqsException.class, () -> RestUri.pathParameters("/queues/{name}", "/queues/" + raw), raw);
        }
    }

    @Test
    void dotAndEmptySegmentsAreNotTheTemplatesShape() {
        for (String raw : List.of("/queues/..", "/queues/%2e", "/queues/a/../b", "/queues//x", "/topics/x")) {
            assertThrows(SqsException.class, () -> RestUri.pathParameters("/queues/{name}", raw), raw);
        }
    }

    @Property(tries = 200)
    void anyTextSurvivesPercentEncoding(@ForAll String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8);
        if (StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
            assertEquals(List.of(text), RestUri.query("p=" + encoded).get("p"));
        }
    }

    @Property(tries = 200)
    void anyRawQueryIsDecodedOrRefusedAsInvalidParameterValue(@ForAll String raw) {
        try {
            RestUri.query(raw);
        } catch (SqsException e) {
            assertEquals("InvalidParameterValue", e.error().code());
        }
    }
}
