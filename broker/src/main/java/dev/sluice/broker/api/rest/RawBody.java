package dev.sluice.broker.api.rest;

import dev.sluice.broker.service.SqsValidator;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.StrictUtf8;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.nio.charset.StandardCharsets;

/**
 * How a raw REST body is stored in an SQS message, so that it comes back byte for byte while SQS
 * clients still get a valid string body.
 *
 * <ul>
 *   <li>A body that is valid UTF-8 and holds only characters SQS allows (any JSON, text, XML
 *       webhook) is the SQS body itself: SQS consumers read it unchanged.</li>
 *   <li>Any other body (binary, or text with e.g. NUL) is kept in the Binary message attribute
 *       {@value #ATTRIBUTE}, and the SQS body is the fixed text {@value #PLACEHOLDER}. SQS
 *       consumers find the bytes in that attribute. Its bytes count as the body's size (see
 *       {@link MessageSize}), so a binary body may be as large as the queue's MaximumMessageSize.</li>
 * </ul>
 * Stateless.
 */
public final class RawBody {

    /** The message attribute that holds a body that is not SQS text. */
    public static final String ATTRIBUTE = MessageSize.RAW_BODY_ATTRIBUTE;
    /** The SQS body of a message whose REST body is in {@link #ATTRIBUTE}. */
    public static final String PLACEHOLDER = MessageSize.RAW_BODY_PLACEHOLDER;
    private static final String BINARY_TYPE = "Binary";

    private RawBody() {
    }

    /**
     * An SQS body and, for a body that is not SQS text, the attribute that carries it.
     *
     * @param attribute null for a text body
     */
    record Stored(String body, MessageAttributeValue attribute) {
    }

    static Stored store(byte[] raw) {
        String text = StrictUtf8.decodeOrNull(raw);
        if (text != null && SqsValidator.isValidMessageText(text)) {
            return new Stored(text, null);
        }
        return new Stored(PLACEHOLDER, MessageAttributeValue.ofBinary(BINARY_TYPE, raw));
    }

    /** True when the message's REST body was stored in {@link #ATTRIBUTE}. */
    static boolean isBinary(Message message) {
        MessageAttributeValue attribute = message.messageAttributes().get(ATTRIBUTE);
        return attribute != null && attribute.binaryValue() != null;
    }

    /** The bytes that were posted: the attribute's, else the body's UTF-8. */
    static byte[] bytes(Message message) {
        return isBinary(message) ? message.messageAttributes().get(ATTRIBUTE).binaryValue()
                : message.body().getBytes(StandardCharsets.UTF_8);
    }

    /** The lowercase hex MD5 of the posted bytes (for text bodies the same as SQS's MD5OfMessageBody). */
    static String md5(byte[] raw) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(raw));
        } catch (java.security.NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 (java.security.MessageDigest's contract).
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
