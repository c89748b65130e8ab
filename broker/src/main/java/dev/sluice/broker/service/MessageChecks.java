package dev.sluice.broker.service;

import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.query.XmlWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The checks of one message's fields, shared by SendMessage and each SendMessageBatch entry. */
final class MessageChecks {

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    /** Alphanumerics and punctuation: MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]+");
    private static final String TRACE_HEADER = "AWSTraceHeader";

    private final SqsLimits limits;

    MessageChecks(SqsLimits limits) {
        this.limits = limits;
    }

    /**
     * Checks body, delay, attributes and FIFO ids; the size against the absolute 1 MiB bound. A FIFO
     * queue's messages need a MessageGroupId and take no delay of their own; a standard queue's take
     * no MessageDeduplicationId (a MessageGroupId makes it a fair queue's tenant). Whether a FIFO
     * message has a deduplication id or its queue deduplicates by content is the engine's check.
     */
    void checkMessage(boolean fifo, String body, Integer delaySeconds, Map<String, MessageAttributeValue> attributes,
            Map<String, MessageAttributeValue> systemAttributes, String groupId, String deduplicationId) {
        if (body == null || body.isEmpty()) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter MessageBody.");
        }
        checkCharacters(body, "Invalid characters found in the message body.");
        if (delaySeconds != null) {
            checkRange("DelaySeconds", delaySeconds, 0, limits.maxDelaySeconds());
        }
        checkAttributes(attributes);
        checkSystemAttributes(systemAttributes);
        checkToken("MessageGroupId", groupId, limits.maxMessageGroupIdLength());
        checkToken("MessageDeduplicationId", deduplicationId, limits.maxDeduplicationIdLength());
        if (fifo && groupId == null) {
            throw missing("MessageGroupId");
        }
        if (fifo && delaySeconds != null && delaySeconds != 0) {
            throw notForThisQueueType("DelaySeconds", delaySeconds.toString());
        }
        if (!fifo && deduplicationId != null) {
            throw notForThisQueueType("MessageDeduplicationId", deduplicationId);
        }
        long size = sizeOf(body, attributes);
        if (size > limits.maxMaximumMessageSizeBytes()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("One or more parameters are invalid. Reason: Message must be"
                    + " shorter than " + limits.maxMaximumMessageSizeBytes() + " bytes.");
        }
    }

    /** The size SQS counts against MaximumMessageSize: body plus each attribute's name, type and value. */
    static long sizeOf(String body, Map<String, MessageAttributeValue> attributes) {
        return MessageSize.of(body, attributes);
    }

    /**
     * Allowed: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (unpaired surrogates are
     * not): XML 1.0's characters, which is why the Query protocol's writer owns the one predicate.
     */
    static boolean hasOnlyAllowedCharacters(String text) {
        return XmlWriter.isXmlText(text);
    }

    void checkRange(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + parameter
                    + " is invalid. Reason: Must be between " + min + " and " + max + ", if provided.");
        }
    }

    void checkToken(String parameter, String value, int maxLength) {
        if (value != null && (value.length() > maxLength || !TOKEN.matcher(value).matches())) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + parameter
                    + " is invalid. Reason: Must be 1 to " + maxLength + " alphanumeric or punctuation characters.");
        }
    }

    /** Message attribute names as used in SendMessage; ReceiveMessage also allows {@code All} and {@code prefix.*}. */
    void checkAttributeName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > limits.maxMessageAttributeNameLength()
                || !ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
                || name.contains("..") || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Message (user) attribute name '" + name + "' is invalid.");
        }
    }

    private void checkAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes.size() > limits.maxMessageAttributes()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + limits.maxMessageAttributes() + "].");
        }
        attributes.forEach((name, value) -> {
            checkAttributeName(name);
            checkAttributeValue("Message (user) attribute '" + name + "'", value);
        });
    }

    private void checkSystemAttributes(Map<String, MessageAttributeValue> attributes) {
        attributes.forEach((name, value) -> {
            if (!TRACE_HEADER.equals(name)) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Message system attribute name '" + name
                        + "' is invalid.");
            }
            checkAttributeValue("Message system attribute '" + name + "'", value);
            if (!"String".equals(value.dataType())) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Message system attribute '" + name
                        + "' must have DataType String.");
            }
        });
    }

    private void checkAttributeValue(String what, MessageAttributeValue value) {
        String type = value.dataType();
        if (type == null || type.isEmpty()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(what + " must contain a non-empty attribute type.");
        }
        String base = type.split("\\.", 2)[0];
        if (type.length() > limits.maxMessageAttributeTypeLength() || !TYPES.contains(base)
                || !hasOnlyAllowedCharacters(type)) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(what + " has an invalid type " + type + ".");
        }
        boolean binary = base.equals("Binary");
        if (binary ? value.binaryValue() == null || value.binaryValue().length == 0
                : value.stringValue() == null || value.stringValue().isEmpty()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(what + " must contain a non-empty "
                    + (binary ? "BinaryValue" : "StringValue") + " for type " + type + ".");
        }
        if (binary ? value.stringValue() != null : value.binaryValue() != null) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(what + " must contain exactly one value for type "
                    + type + ".");
        }
        if (!binary) {
            checkCharacters(value.stringValue(), what + " contains invalid characters.");
        }
        if (base.equals("Number") && !isSqsNumber(value.stringValue())) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(what + " has an invalid Number value.");
        }
    }

    private static final java.util.Set<String> TYPES = java.util.Set.of("String", "Number", "Binary");

    /** SQS Numbers: up to 38 digits of precision, magnitude between 10^-128 and 10^+126. */
    private static boolean isSqsNumber(String value) {
        try {
            BigDecimal number = new BigDecimal(value.trim());
            if (number.signum() == 0) {
                return true;
            }
            int magnitude = number.precision() - number.scale() - 1;
            return number.stripTrailingZeros().precision() <= 38 && magnitude >= -128 && magnitude <= 126;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void checkCharacters(String text, String message) {
        if (!hasOnlyAllowedCharacters(text)) {
            throw SqsError.INVALID_MESSAGE_CONTENTS.exception(message);
        }
    }

    private static SqsException notForThisQueueType(String parameter, String value) {
        return SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + parameter
                + " is invalid. Reason: The request include parameter that is not valid for this queue type.");
    }

    static SqsException missing(String parameter) {
        return SqsError.MISSING_PARAMETER.exception("The request must contain the parameter " + parameter + ".");
    }
}
