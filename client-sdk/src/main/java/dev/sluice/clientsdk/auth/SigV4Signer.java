package dev.sluice.clientsdk.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs HTTP requests with AWS Signature Version 4 (header form, {@code AWS4-HMAC-SHA256}) for one
 * service and region, e.g. {@code new SigV4Signer("sqs", "us-east-1")} or {@code ("sns", ...)}.
 *
 * <p>What is signed: the method; the path as sent, percent-encoded once more (AWS's rule for every
 * service but S3; the path is not normalized, so send it normalized); the query parameters, decoded,
 * re-encoded and sorted; the {@code host} header (from the URI, with the port unless it is the
 * scheme's default, as {@link java.net.http.HttpClient} sends it); {@code x-amz-date}; the session
 * token when there is one; every header the caller passes; and the SHA-256 of the body. Header names
 * are lower-cased and sorted, values trimmed with inner runs of spaces collapsed.
 *
 * <p>The caller sends the returned headers with the request, unchanged, together with the headers it
 * passed in. Stateless apart from its two names; thread-safe.
 */
public final class SigV4Signer {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String service;
    private final String region;

    /**
     * @param service the signing name of the service: {@code sqs}, {@code sns}, ...
     * @param region the region the request is for, e.g. {@code us-east-1}
     */
    public SigV4Signer(String service, String region) {
        this.service = requireText(service, "service");
        this.region = requireText(region, "region");
    }

    public String service() {
        return service;
    }

    public String region() {
        return region;
    }

    /**
     * Signs one request.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param uri the absolute request URI (host, optional port, path, optional query)
     * @param headers the headers that will be sent and must be signed (e.g. {@code Content-Type},
     *     {@code X-Amz-Target}); must not contain {@code Authorization}
     * @param body the exact request body (empty for none)
     * @param credentials the key pair to sign with
     * @param now the signing time; AWS refuses signatures more than 5 minutes off its clock
     * @return the headers to add and, for debugging, the intermediate strings
     */
    public Signature sign(String method, URI uri, Map<String, String> headers, byte[] body, AwsCredentials credentials,
            Instant now) {
        Objects.requireNonNull(uri.getHost(), "uri must be absolute: " + uri);
        String dateTime = DATE_TIME.format(now);
        String scope = DATE.format(now) + "/" + region + "/" + service + "/aws4_request";

        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", dateTime);
        if (credentials.sessionToken() != null) {
            added.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        canonicalHeaders.put("host", hostHeader(uri));
        headers.forEach((name, value) -> canonicalHeaders.merge(name.toLowerCase(Locale.ROOT), trimValue(value),
                (first, second) -> first + "," + second));
        added.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), value));
        if (canonicalHeaders.containsKey("authorization")) {
            throw new IllegalArgumentException("the request is already signed");
        }
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        StringBuilder headerBlock = new StringBuilder();
        canonicalHeaders.forEach((name, value) -> headerBlock.append(name).append(':').append(value).append('\n'));

        String canonicalRequest = method.toUpperCase(Locale.ROOT) + "\n"
                + canonicalPath(uri.getRawPath()) + "\n"
                + canonicalQuery(uri.getRawQuery()) + "\n"
                + headerBlock + "\n"
                + signedHeaders + "\n"
                + HEX.formatHex(sha256(body));
        String stringToSign = ALGORITHM + "\n" + dateTime + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), DATE.format(now)),
                stringToSign));
        added.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return new Signature(Collections.unmodifiableMap(added), canonicalRequest, stringToSign, signature);
    }

    /**
     * A signing result.
     *
     * @param headers the headers to send: {@code X-Amz-Date}, {@code X-Amz-Security-Token} (with a
     *     session token) and {@code Authorization}, in that order
     * @param canonicalRequest the canonical request that was hashed
     * @param stringToSign the string whose HMAC is the signature
     * @param signature the hex signature
     */
    public record Signature(Map<String, String> headers, String canonicalRequest, String stringToSign,
            String signature) {
    }

    private byte[] signingKey(String secret, String date) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    /** {@code host[:port]}, the port only when it is not the scheme's default (what HTTP clients send). */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** The path as sent, percent-encoded once more ('/' kept); an empty path is {@code /}. */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath, true);
    }

    /** Parameters decoded, re-encoded with AWS's unreserved set, sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            pairs.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
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

    /** RFC 3986 percent-encoding of every byte but {@code A-Z a-z 0-9 - _ . ~} (and '/' when asked). */
    static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
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

    /** Percent-decoding only ('+' stays '+': query strings of AWS requests encode spaces as %20). */
    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String trimValue(String value) {
        return value.trim().replaceAll(" +", " ");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
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

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
