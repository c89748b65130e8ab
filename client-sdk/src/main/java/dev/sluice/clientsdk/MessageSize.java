package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;

/**
 * The size SQS counts against {@code MaximumMessageSize} and the 1 MiB batch limit: the body's UTF-8
 * bytes plus, for each message attribute, its name, data type and value (UTF-8 for strings, raw for
 * binary). One rule for the server's checks and the client's batching. Stateless.
 *
 * <p>One Sluice addition: a message whose body is {@link #RAW_BODY_PLACEHOLDER} and that carries its
 * real body as the Binary attribute {@link #RAW_BODY_ATTRIBUTE} (how the REST API stores a body
 * that is not SQS text) counts that attribute's bytes as its body, so a binary body may be as large
 * as a text body.
 */
public final class MessageSize {
    /** The message attribute that holds a raw body that is not SQS text. */
    public static final String RAW_BODY_ATTRIBUTE = "Sluice.RawBody";
    /** The SQS body of a message whose raw body is in {@link #RAW_BODY_ATTRIBUTE}. */
    public static final String RAW_BODY_PLACEHOLDER = "(binary body in message attribute Sluice.RawBody)";

    private MessageSize() {
    }

    public static long of(String body, Map<String, MessageAttributeValue> attributes) {
        MessageAttributeValue rawBody = attributes.get(RAW_BODY_ATTRIBUTE);
        boolean raw = RAW_BODY_PLACEHOLDER.equals(body) && rawBody != null && rawBody.binaryValue() != null;
        long size = raw ? rawBody.binaryValue().length : utf8Length(body);
        for (Map.Entry<String, MessageAttributeValue> entry : attributes.entrySet()) {
            MessageAttributeValue value = entry.getValue();
            if (raw && value == rawBody) {
                continue;
            }
            size += utf8Length(entry.getKey()) + utf8Length(value.dataType());
            size += value.stringValue() != null ? utf8Length(value.stringValue())
                    : value.binaryValue() != null ? value.binaryValue().length : 0;
        }
        return size;
    }

    /** UTF-8 length without encoding; a lone surrogate counts as the 3 bytes of its replacement. */
    public static int utf8Length(String text) {
        if (text == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
