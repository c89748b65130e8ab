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
    void bodyDigestEqualsTheDigestOfGetBytesForEveryKindOfString() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        for (int n = 0; n < 3_000; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = random.nextInt(n % 50 == 0 ? 5_000 : 400); i > 0; i--) {
                switch (random.nextInt(7)) {
                    case 0, 1 -> body.append((char) random.nextInt(0x80));
                    case 2 -> body.append((char) random.nextInt(0x80, 0x800));
                    case 3 -> body.append((char) random.nextInt(0x800, 0xD800));
                    case 4 -> body.appendCodePoint(random.nextInt(0x10000, 0x110000));
                    case 5 -> body.append((char) random.nextInt(0xD800, 0xDC00));
                    default -> body.append((char) random.nextInt(0xDC00, 0xE000));
                }
            }
            String text = body.toString();
            assertEquals(java.util.HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8))),
                    MessageMd5.ofBody(text), () -> "body of " + text.length() + " chars");
        }
        for (String edge : new String[] {"\uD83D", "\uDE00", "a\uD83D", "\uDE00a", "\uD83D\uD83D\uDE00", "x".repeat(1023) + "😀",
                "x".repeat(1022) + "😀", "é".repeat(600), "€".repeat(1000) + "\uD83D"}) {
            assertEquals(java.util.HexFormat.of().formatHex(md5.digest(edge.getBytes(StandardCharsets.UTF_8))),
                    MessageMd5.ofBody(edge));
        }
    }

    @Test
    void aLargeBodyIsDigestedWithoutACopyOfItsBytes() {
        String body = "alert: disk full on host-17 ".repeat(9_000);
        MessageMd5.ofBody(body);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        MessageMd5.ofBody(body);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(true, allocated < 16 * 1024, "a 252 KB body, " + allocated + " bytes allocated");
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
