package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageSizeTest {

    @Test
    void bodyCountsItsUtf8Bytes() {
        String body = "a\u00e9\u2603\uD83D\uDE00";
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length, MessageSize.of(body, Map.of()));
        assertEquals(10, MessageSize.utf8Length(body));
    }

    @Test
    void attributesCountNameTypeAndValue() {
        Map<String, MessageAttributeValue> attributes = Map.of(
                "k", MessageAttributeValue.ofString("String", "v\u00e9"),
                "bin", MessageAttributeValue.ofBinary("Binary", new byte[7]));
        assertEquals(4 + (1 + 6 + 3) + (3 + 6 + 7), MessageSize.of("body", attributes));
    }

    @Test
    void aRawBodyInItsAttributeCountsAsTheBodyAndNothingElse() {
        Map<String, MessageAttributeValue> attributes = Map.of(
                MessageSize.RAW_BODY_ATTRIBUTE, MessageAttributeValue.ofBinary("Binary", new byte[1_000]),
                "k", MessageAttributeValue.ofString("String", "v"));
        assertEquals(1_000 + (1 + 6 + 1), MessageSize.of(MessageSize.RAW_BODY_PLACEHOLDER, attributes));
    }

    @Test
    void theRawBodyAttributeBesideAnyOtherBodyCountsInFull() {
        // Otherwise a sender could hide a large body behind the attribute's name.
        Map<String, MessageAttributeValue> attributes = Map.of(
                MessageSize.RAW_BODY_ATTRIBUTE, MessageAttributeValue.ofBinary("Binary", new byte[1_000]));
        assertEquals(4 + MessageSize.RAW_BODY_ATTRIBUTE.length() + 6 + 1_000, MessageSize.of("body", attributes));
    }
}
