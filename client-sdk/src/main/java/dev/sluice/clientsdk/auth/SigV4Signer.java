package dev.sluice.clientsdk.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

    private final String service;
    private final String region;
    private final boolean sendPayloadHash;

    /**
     * @param service the signing name of the service: {@code sqs}, {@code sns}, ...
     * @param region the region the request is for, e.g. {@code us-east-1}
     */
    public SigV4Signer(String service, String region) {
        this(service, region, false);
    }

    /**
     * @param sendPayloadHash also send (and sign) {@code X-Amz-Content-Sha256} with the body's hash, as
     *     the AWS SDK for Java v2 does for every service (required by S3, accepted by the others)
     */
    public SigV4Signer(String service, String region, boolean sendPayloadHash) {
        this.service = requireText(service, "service");
        this.region = requireText(region, "region");
        this.sendPayloadHash = sendPayloadHash;
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
        String dateTime = SigV4.DATE_TIME.format(now);
        String scope = SigV4.scope(SigV4.DATE.format(now), region, service);

        String payloadHash = SigV4.sha256Hex(body);
        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", dateTime);
        if (sendPayloadHash) {
            added.put("X-Amz-Content-Sha256", payloadHash);
        }
        if (credentials.sessionToken() != null) {
            added.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        canonicalHeaders.put("host", hostHeader(uri));
        headers.forEach((name, value) -> canonicalHeaders.merge(name.toLowerCase(Locale.ROOT),
                SigV4.canonicalHeaderValue(List.of(value)), (first, second) -> first + "," + second));
        added.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), value));
        if (canonicalHeaders.containsKey("authorization")) {
            throw new IllegalArgumentException("the request is already signed");
        }
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        String canonicalRequest = SigV4.canonicalRequest(method.toUpperCase(Locale.ROOT),
                SigV4.canonicalPath(uri.getRawPath()), SigV4.canonicalQuery(uri.getRawQuery()), canonicalHeaders,
                payloadHash);
        String stringToSign = SigV4.stringToSign(dateTime, scope, canonicalRequest);
        String signature = SigV4.signature(
                SigV4.signingKey(credentials.secretAccessKey(), SigV4.DATE.format(now), region, service), stringToSign);
        added.put("Authorization", SigV4.ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return new Signature(Collections.unmodifiableMap(added), canonicalRequest, stringToSign, signature);
    }

    /**
     * A presigned URL: the signature in the query string ({@code X-Amz-Algorithm}, {@code X-Amz-Credential},
     * {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}), only
     * the {@code host} header signed, and the hash of an empty body (send the URL with a GET and no body).
     *
     * @param expiresIn how long the URL stays valid, 1 second to 7 days
     */
    public URI presign(String method, URI uri, AwsCredentials credentials, Instant now, java.time.Duration expiresIn) {
        Objects.requireNonNull(uri.getHost(), "uri must be absolute: " + uri);
        if (expiresIn.getSeconds() < 1 || expiresIn.getSeconds() > 604_800) {
            throw new IllegalArgumentException("expiresIn must be 1 second to 7 days: " + expiresIn);
        }
        String dateTime = SigV4.DATE_TIME.format(now);
        String scope = SigV4.scope(SigV4.DATE.format(now), region, service);
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&");
        query.append("X-Amz-Algorithm=").append(SigV4.ALGORITHM)
                .append("&X-Amz-Credential=").append(SigV4.encode(credentials.accessKeyId() + "/" + scope, false))
                .append("&X-Amz-Date=").append(dateTime)
                .append("&X-Amz-Expires=").append(expiresIn.getSeconds())
                .append("&X-Amz-SignedHeaders=host");
        if (credentials.sessionToken() != null) {
            query.append("&X-Amz-Security-Token=").append(SigV4.encode(credentials.sessionToken(), false));
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>(Map.of("host", hostHeader(uri)));
        String canonicalRequest = SigV4.canonicalRequest(method.toUpperCase(Locale.ROOT),
                SigV4.canonicalPath(uri.getRawPath()), SigV4.canonicalQuery(query.toString()), canonicalHeaders,
                SigV4.sha256Hex(new byte[0]));
        String signature = SigV4.signature(
                SigV4.signingKey(credentials.secretAccessKey(), SigV4.DATE.format(now), region, service),
                SigV4.stringToSign(dateTime, scope, canonicalRequest));
        query.append("&X-Amz-Signature=").append(signature);
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + rawPath + "?" + query);
    }

    /**
     * A signing result.
     *
     * @param headers the headers to send: {@code X-Amz-Date}, {@code X-Amz-Content-Sha256} (when asked
     *     for), {@code X-Amz-Security-Token} (with a session token) and {@code Authorization}, in that order
     * @param canonicalRequest the canonical request that was hashed
     * @param stringToSign the string whose HMAC is the signature
     * @param signature the hex signature
     */
    public record Signature(Map<String, String> headers, String canonicalRequest, String stringToSign,
            String signature) {
    }

    /** {@code host[:port]}, the port only when it is not the scheme's default (what HTTP clients send). */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
