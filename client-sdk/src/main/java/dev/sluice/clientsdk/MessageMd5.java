package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests that SQS returns and that AWS SDKs verify: {@code MD5OfMessageBody} (also
 * {@code MD5OfBody}), {@code MD5OfMessageAttributes} and {@code MD5OfMessageSystemAttributes}.
 *
 * <p>Attributes are digested in AWS's binary encoding: names in ascending order; for each, the
 * name, then the data type, each as a 4-byte big-endian length and UTF-8 bytes; a transport byte
 * (1 for a {@code StringValue}, 2 for a {@code BinaryValue}); then the value, length-prefixed the
 * same way. Stateless and thread-safe.
 */
public final class MessageMd5 {

    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageMd5() {
    }

    /** The lowercase hex MD5 of the body's UTF-8 bytes. */
    public static String ofBody(String body) {
        return hex(digest().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The digest of message attributes, or null when there are none (SQS then omits the field). */
    public static String ofMessageAttributes(Map<String, MessageAttributeValue> attributes) {
        return ofAttributes(attributes);
    }

    /** The digest of message system attributes (e.g. {@code AWSTraceHeader}), or null when none. */
    public static String ofMessageSystemAttributes(Map<String, MessageAttributeValue> attributes) {
        return ofAttributes(attributes);
    }

    private static String ofAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Map.Entry<String, MessageAttributeValue> entry : new TreeMap<>(attributes).entrySet()) {
            MessageAttributeValue value = entry.getValue();
            writeLengthPrefixed(bytes, entry.getKey().getBytes(StandardCharsets.UTF_8));
            writeLengthPrefixed(bytes, nullToEmpty(value.dataType()).getBytes(StandardCharsets.UTF_8));
            if (value.stringValue() != null) {
                bytes.write(STRING_TRANSPORT);
                writeLengthPrefixed(bytes, value.stringValue().getBytes(StandardCharsets.UTF_8));
            } else if (value.binaryValue() != null) {
                bytes.write(BINARY_TRANSPORT);
                writeLengthPrefixed(bytes, value.binaryValue());
            }
        }
        return hex(digest().digest(bytes.toByteArray()));
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** One MD5 per thread, reset by each {@code digest(bytes)}: looking one up costs more than hashing a message. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 (java.security.MessageDigest's contract).
            throw new IllegalStateException("MD5 is not available", e);
        }
    });

    private static MessageDigest digest() {
        MessageDigest md5 = MD5.get();
        md5.reset();
        return md5;
    }
}
