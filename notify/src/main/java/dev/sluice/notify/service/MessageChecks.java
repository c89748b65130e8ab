package dev.sluice.notify.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.notify.core.AttributeLimits;
import dev.sluice.notify.core.PublishedMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** Publish's checks that need no state: sizes, subject, structure, message attributes. Stateless. */
final class MessageChecks {
    /** SNS's message size limit, body and attributes together. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_SUBJECT_LENGTH = 100;
    static final int MAX_ATTRIBUTES = 10;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_\\-.]{1,256}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SQS's limit on a DataType: 256 printable ASCII characters. */
    private static final int MAX_DATA_TYPE_LENGTH = 256;
    private static final int MAX_NUMBER_DIGITS = 38;
    private static final int MIN_NUMBER_EXPONENT = -128;
    private static final int MAX_NUMBER_EXPONENT = 126;
    /** Room for 38 digits written out with SNS's smallest or largest exponent, plus sign, point and exponent. */
    private static final int MAX_NUMBER_TEXT = 200;

    private MessageChecks() {
    }

    static void check(String message, String subject, String messageStructure, Map<String, MessageAttributeValue> attributes) {
        if (message == null || message.isEmpty()) {
            throw SnsError.invalidParameter("Empty message");
        }
        if (size(message, attributes) > MAX_MESSAGE_BYTES) {
            throw SnsError.invalidParameter("Message too long");
        }
        if (!AttributeLimits.allowedCharacters(message)) {
            // What SQS refuses (InvalidMessageContents) cannot be fanned out to it: refuse it at Publish instead.
            throw SnsError.invalidParameter("Message Reason: contains characters outside the allowed set (tab, line "
                    + "feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD, U+10000 to U+10FFFF)");
        }
        if (subject != null && (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH
                || !subject.chars().allMatch(c -> c >= 0x20 && c < 0x7F))) {
            throw SnsError.invalidParameter("Subject");
        }
        if (messageStructure != null) {
            if (!messageStructure.equals("json")) {
                throw SnsError.invalidParameter("MessageStructure");
            }
            PublishedMessage.checkStructure(message);
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw SnsError.INVALID_PARAMETER_VALUE.exception("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
        }
        attributes.forEach(MessageChecks::checkAttribute);
    }

    private static final Pattern FIFO_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]{1,128}");

    /** A MessageGroupId or MessageDeduplicationId: required, 1-128 of letters, digits and punctuation. */
    static void checkFifoId(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            throw SnsError.invalidParameter("The " + parameter + " parameter is required for FIFO topics");
        }
        if (!FIFO_ID.matcher(value).matches()) {
            throw SnsError.invalidParameter(parameter + " Reason: 1-128 alphanumeric or punctuation characters");
        }
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    static long size(String message, Map<String, MessageAttributeValue> attributes) {
        long bytes = message == null ? 0 : message.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> entry : attributes.entrySet()) {
            MessageAttributeValue value = entry.getValue();
            bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
            bytes += value.dataType() == null ? 0 : value.dataType().length();
            bytes += value.binaryValue() != null ? value.binaryValue().length
                    : value.stringValue() == null ? 0 : value.stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    private static void checkAttribute(String name, MessageAttributeValue value) {
        if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || name.toLowerCase(java.util.Locale.ROOT).startsWith("aws.")
                || name.toLowerCase(java.util.Locale.ROOT).startsWith("amazon.")) {
            throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute name '" + AttributeLimits.shown(name)
                    + "' is invalid.");
        }
        String type = value.dataType();
        if (type == null || type.isEmpty()) {
            throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name + "' must contain non-empty "
                    + "message attribute type.");
        }
        if (type.length() > MAX_DATA_TYPE_LENGTH || !type.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name + "' has an invalid "
                    + "message attribute type, the set of supported type prefixes is Binary, Number, and String.");
        }
        String base = type.contains(".") && !type.startsWith("String.Array") ? type.substring(0, type.indexOf('.')) : type;
        switch (base) {
            case "String" -> requireString(name, value);
            case "String.Array" -> {
                requireString(name, value);
                try {
                    if (!JSON.readTree(value.stringValue()).isArray()) {
                        throw invalidValue(name, type);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw invalidValue(name, type);
                }
            }
            case "Number" -> {
                requireString(name, value);
                if (!isSnsNumber(value.stringValue().trim())) {
                    throw invalidValue(name, type);
                }
            }
            case "Binary" -> {
                if (value.binaryValue() == null) {
                    throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name
                            + "' with type 'Binary' must use field 'Binary'.");
                }
            }
            default -> throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name
                    + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, "
                    + "and String.");
        }
    }

    /**
     * SNS's Number: up to 38 significant digits, magnitude between 10^-128 and 10^126 (or zero). The text is
     * bounded first, so a quarter-megabyte of digits is never parsed into a decimal.
     */
    static boolean isSnsNumber(String text) {
        if (text.isEmpty() || text.length() > MAX_NUMBER_TEXT) {
            return false;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return false;
        }
        if (number.signum() == 0) {
            return true;
        }
        long exponent = (long) number.precision() - number.scale() - 1;
        return number.precision() <= MAX_NUMBER_DIGITS && exponent >= MIN_NUMBER_EXPONENT && exponent <= MAX_NUMBER_EXPONENT;
    }

    private static void requireString(String name, MessageAttributeValue value) {
        if (value.stringValue() == null || value.stringValue().isEmpty()) {
            throw SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name
                    + "' must contain non-empty message attribute value for message attribute type '"
                    + value.dataType() + "'.");
        }
        if (!AttributeLimits.allowedCharacters(value.stringValue())) {
            throw invalidValue(name, value.dataType());
        }
    }

    private static RuntimeException invalidValue(String name, String type) {
        return SnsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name
                + "' has an invalid value for message attribute type '" + type + "'.");
    }
}
