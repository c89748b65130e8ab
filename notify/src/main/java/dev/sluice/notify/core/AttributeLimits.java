package dev.sluice.notify.core;

import dev.sluice.clientsdk.SnsError;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bounds on what a topic or subscription stores, in one place: the size of each attribute (SNS's documented
 * limits where it has them; a few kilobytes, far above any valid value, where it has none) and the characters
 * any stored or published text may hold. Every value here ends up in XML answers and in deliveries, so the
 * characters are those XML 1.0 and SQS allow. Stateless.
 */
public final class AttributeLimits {
    /** Bytes (UTF-8) per attribute; attributes not named here get {@link #DEFAULT_MAX_BYTES}. */
    private static final Map<String, Integer> MAX_BYTES = Map.of(
            "Policy", 30 * 1024, // SNS: an access policy is at most 30 KB
            "DataProtectionPolicy", 30 * 1024, // SNS: 30,720 bytes
            "FilterPolicy", SnsFilterPolicy.MAX_BYTES, // SNS: 256 KB
            "DeliveryPolicy", 16 * 1024, // no documented limit; a complete policy is under 1 KB
            "RedrivePolicy", 2 * 1024, // one ARN
            "SubscriptionRoleArn", 2048, // IAM's ARN limit
            "KmsMasterKeyId", 2048);
    private static final int DEFAULT_MAX_BYTES = 1024;
    /** An endpoint: a URL, an e-mail address or an ARN. */
    public static final int MAX_ENDPOINT_LENGTH = 2048;
    /** DNS: a host name is at most 253 characters, each label at most 63. */
    public static final int MAX_HOST_LENGTH = 253;
    private static final int MAX_HOST_LABEL_LENGTH = 63;

    private AttributeLimits() {
    }

    /** InvalidParameter when {@code value} is larger than the attribute's limit or holds a character SNS refuses. */
    public static void check(String attribute, String value) {
        if (value == null) {
            return;
        }
        int max = MAX_BYTES.getOrDefault(attribute, DEFAULT_MAX_BYTES);
        if (value.length() > max || value.getBytes(StandardCharsets.UTF_8).length > max) {
            throw SnsError.invalidParameter("Attributes Reason: " + attribute + " is longer than " + max + " bytes");
        }
        if (!allowedCharacters(value)) {
            throw SnsError.invalidParameter("Attributes Reason: " + attribute + " contains characters that are not allowed");
        }
    }

    /** InvalidParameter for an endpoint that is too long or holds a character SNS refuses. */
    public static void checkEndpoint(String endpoint) {
        if (endpoint.length() > MAX_ENDPOINT_LENGTH || !allowedCharacters(endpoint)) {
            throw SnsError.invalidParameter("Endpoint Reason: at most " + MAX_ENDPOINT_LENGTH
                    + " characters, without control characters");
        }
    }

    /** InvalidParameter for a host name longer than DNS allows (a literal address always fits). */
    public static void checkHost(String host) {
        boolean tooLong = host.length() > MAX_HOST_LENGTH;
        for (String label : host.split("\\.", -1)) {
            tooLong |= label.length() > MAX_HOST_LABEL_LENGTH && !host.startsWith("[");
        }
        if (tooLong) {
            throw SnsError.invalidParameter("Endpoint Reason: the host name is longer than DNS allows ("
                    + MAX_HOST_LENGTH + " characters, " + MAX_HOST_LABEL_LENGTH + " a label)");
        }
    }

    /**
     * A caller's name (a tag key, an attribute name) fit to quote back in an error: itself when it is short
     * printable ASCII, else a placeholder, so that answers never carry control characters or megabytes.
     */
    public static String shown(String name) {
        return name.length() <= 256 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? name : "(not shown)";
    }

    /**
     * True when every character is one XML 1.0 and SQS allow: tab, line feed, carriage return, U+0020-U+D7FF,
     * U+E000-U+FFFD and the supplementary planes as proper surrogate pairs. No NUL, no other C0 control, no
     * lone surrogate (what an invalid {@code \\ud800} escape or broken UTF-8 leaves), no U+FFFE / U+FFFF.
     */
    public static boolean allowedCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))) {
                return false;
            }
        }
        return true;
    }
}
