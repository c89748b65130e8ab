package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Known vectors: RFC 1321 for the body; for attributes, published values of AWS's algorithm (the
 * npm package aws-md5-of-message-attributes documents them). The broker's wire test cross-checks
 * against the AWS SDKs' own verification.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageMd5Test {

    @Test
    void emptyBodyHasTheRfc1321DigestOfTheEmptyString() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", MessageMd5.ofBody(""));
    }

    @Test
    void bodyIsDigestedAsUtf8() {
        assertEquals("900150983cd24fb0d6963f7d28e17f72", MessageMd5.ofBody("abc"));
        assertEquals(MessageMd5.ofBody(new String("é€😀".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)),
                MessageMd5.ofBody("é€😀"));
    }

    @Test
    void aStringAttributeMatchesThePublishedVector() {
        Map<String, MessageAttributeValue> attributes =
                Map.of("attribName1", MessageAttributeValue.ofString("String", "attribValue 1"));
        assertEquals("19e27d4e946b072f3f58da80d94fd778", MessageMd5.ofMessageAttributes(attributes));
    }

    @Test
    void aCustomNumberTypeIsDigestedAsAString() {
        Map<String, MessageAttributeValue> attributes = Map.of("customNumberTypeAttrib",
                MessageAttributeValue.ofString("Number.float", "4563442423554324324264524243.32543234"));
        assertEquals("9fe1b90bbd9965bdf77bac517c7d2495", MessageMd5.ofMessageAttributes(attributes));
    }

    @Test
    void aBinaryAttributeUsesTransportByteTwo() {
        Map<String, MessageAttributeValue> attributes = Map.of("binaryAttribute",
                MessageAttributeValue.ofBinary("Binary", "Hello binary world!".getBytes(StandardCharsets.UTF_8)));
        assertEquals("31a92b15d92f8db860eda32aceb656c3", MessageMd5.ofMessageAttributes(attributes));
    }

    @Test
    void severalAttributesAreDigestedInNameOrderWhateverTheMapOrder() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("customNumberTypeAttrib",
                MessageAttributeValue.ofString("Number.float", "4563442423554324324264524243.32543234"));
        attributes.put("binaryAttribute",
                MessageAttributeValue.ofBinary("Binary", "Hello binary world!".getBytes(StandardCharsets.UTF_8)));
        attributes.put("attribName1", MessageAttributeValue.ofString("String", "attribValue 1"));
        assertEquals("c932db14a896c663f83c260297d594ff", MessageMd5.ofMessageAttributes(attributes));
    }

    @Test
    void noAttributesHaveNoDigest() {
        assertNull(MessageMd5.ofMessageAttributes(Map.of()));
        assertNull(MessageMd5.ofMessageSystemAttributes(null));
    }

    @Test
    void systemAttributesUseTheSameEncoding() {
        Map<String, MessageAttributeValue> trace = Map.of("AWSTraceHeader",
                MessageAttributeValue.ofString("String", "Root=1-5759e988-bd862e3fe1be46a994272793"));
        assertEquals(MessageMd5.ofMessageAttributes(trace), MessageMd5.ofMessageSystemAttributes(trace));
    }
}
