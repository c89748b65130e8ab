package dev.sluice.clientsdk.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The strings and keys of AWS Signature Version 4, shared by the client's {@link SigV4Signer} and the
 * server's verifier so that both sides canonicalise a request with the one implementation: the canonical
 * request, the string to sign, the derived signing key and the signature. Stateless; thread-safe.
 */
public final class SigV4 {
    /** The only algorithm Sluice signs and accepts. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The payload hash a client may sign instead of the body's ({@code x-amz-content-sha256}). */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** {@code X-Amz-Date}'s format (ISO 8601 basic, UTC). */
    public static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The credential scope's date. */
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {
    }

    /** {@code date/region/service/aws4_request}. */
    public static String scope(String date, String region, String service) {
        return date + "/" + region + "/" + service + "/aws4_request";
    }

    /**
     * The canonical request.
     *
     * @param canonicalHeaders lower-case names to canonical values ({@link #canonicalHeaderValue}), sorted
     * @param payloadHash the hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
     */
    public static String canonicalRequest(String method, String canonicalPath, String canonicalQuery,
            SortedMap<String, String> canonicalHeaders, String payloadHash) {
        StringBuilder request = new StringBuilder(256).append(method).append('\n').append(canonicalPath).append('\n')
                .append(canonicalQuery).append('\n');
        canonicalHeaders.forEach((name, value) -> request.append(name).append(':').append(value).append('\n'));
        return request.append('\n').append(String.join(";", canonicalHeaders.keySet())).append('\n')
                .append(payloadHash).toString();
    }

    /** {@code AWS4-HMAC-SHA256\n<dateTime>\n<scope>\n<hex SHA-256 of the canonical request>}. */
    public static String stringToSign(String dateTime, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + dateTime + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The key derived from the secret for one date, region and service (four HMACs; cache it per day). */
    public static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    /** The hex signature of a string to sign. */
    public static String signature(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /** The path as sent, percent-encoded once more ('/' kept); an empty path is {@code /}. */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath, true);
    }

    /** Parameters decoded ('+' a space), re-encoded with AWS's unreserved set, sorted by name then value. */
    public static String canonicalQuery(String rawQuery) {
        return canonicalQuery(rawQuery, null);
    }

    /**
     * As {@link #canonicalQuery(String)}, leaving out the parameter named {@code excluded} (a presigned
     * URL's {@code X-Amz-Signature}, which cannot sign itself); null excludes nothing.
     */
    public static String canonicalQuery(String rawQuery, String excluded) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = decode(equals < 0 ? part : part.substring(0, equals));
            if (name.equals(excluded)) {
                continue;
            }
            String value = equals < 0 ? "" : part.substring(equals + 1);
            pairs.add(new String[] {encode(name, false), encode(decode(value), false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder query = new StringBuilder();
        for (String[] pair : pairs) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(pair[0]).append('=').append(pair[1]);
        }
        return query.toString();
    }

    /** A header's values trimmed, inner runs of spaces collapsed, joined with commas. */
    public static String canonicalHeaderValue(List<String> values) {
        StringBuilder value = new StringBuilder();
        for (String one : values) {
            if (value.length() > 0) {
                value.append(',');
            }
            value.append(one.trim().replaceAll(" +", " "));
        }
        return value.toString();
    }

    /** RFC 3986 percent-encoding of every byte but {@code A-Z a-z 0-9 - _ . ~} (and '/' when asked). */
    public static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * Form decoding, '+' a space: as the Query protocol reads the parameters (QueryParameters), so that a
     * signed {@code %2B} cannot become a '+' the action reads as a space under the same signature. AWS's
     * SDKs send {@code %20} and {@code %2B}, never a bare '+'.
     */
    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest's contract).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java platform must provide HmacSHA256 (javax.crypto.Mac's contract); any key length is valid.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
