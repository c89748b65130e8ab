package dev.sluice.broker.auth;

import dev.sluice.clientsdk.auth.SigV4;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) on a request, in the {@code Authorization}
 * header form or the presigned query-string form, against the keys of a {@link KeyDirectory} (config keys and the
 * catalog's, looked up on every request, so a disabled key is refused as soon as the directory drops it); a valid
 * signature answers the key's account. The canonical request
 * and string to sign come from client-sdk's {@link SigV4}, the code the clients sign with.
 *
 * <p>Rules (AWS's): the request time ({@code X-Amz-Date}) must be within 15 minutes of this server's clock;
 * a presigned URL also expires after its {@code X-Amz-Expires} (at most 7 days); {@code host} must be signed;
 * the scope's date must be the request's date. The payload hash is {@code x-amz-content-sha256} when it is
 * {@code UNSIGNED-PAYLOAD}, else the body's SHA-256, and a {@code x-amz-content-sha256} that differs from the
 * body's is refused (else a signed hash would let the body be swapped). Any region and service in the scope
 * is accepted: the signature covers them. Signatures are compared in constant time.
 *
 * <p>What a valid signature must cover, so that what runs is what was signed: the method, path and query string;
 * {@code host} and every header that shapes the request ({@code X-Amz-Target}, {@code Sluice-*}) that the
 * request carries; and the body, by its hash: {@code UNSIGNED-PAYLOAD} only without a
 * body, and a presigned URL never with one. A query string that is not validly percent-encoded cannot be
 * signed and is refused as SignatureDoesNotMatch.
 *
 * <p>Cost per request: one SHA-256 of the body, one of the canonical request and one HMAC; the derived
 * signing key is cached per key, date, region and service (at most {@value #MAX_CACHED_KEYS} entries).
 * Messages never contain a secret or the expected signature. Thread-safe.
 */
public final class SigV4Verifier {
    /** AWS's allowed clock difference between a signer and the service. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest {@code X-Amz-Expires} of a presigned URL (AWS's: 7 days). */
    public static final long MAX_EXPIRES_SECONDS = 604_800;
    static final int MAX_CACHED_KEYS = 4096;
    private static final String INCOMPLETE_HEADER = "Authorization header requires 'Credential' parameter. "
            + "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
            + "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
    private static final String INCOMPLETE_QUERY = "AWS query-string parameters must include 'X-Amz-Algorithm', "
            + "'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders' and 'X-Amz-Signature'.";

    /** The account of keys given as a plain map: the default one, as every config key was before accounts. */
    public static final String DEFAULT_ACCOUNT = "000000000000";

    private final KeyDirectory keys;
    private final InstantSource clock;
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    /** @param secrets the secret access key of each access key id, all of the default account */
    public SigV4Verifier(Map<String, String> secrets, InstantSource clock) {
        this(KeyDirectory.of(secrets, DEFAULT_ACCOUNT), clock);
    }

    /** @param keys where each access key id's secret and account are looked up, on every request */
    public SigV4Verifier(KeyDirectory keys, InstantSource clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** True when the request carries a signature in either form (whatever its validity). */
    public static boolean isSigned(SignedRequest request) {
        return request.header("Authorization") != null
                || (request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature="));
    }

    public Verdict verify(SignedRequest request) {
        try {
            return verifyEitherForm(request);
        } catch (IllegalArgumentException e) {
            // A broken percent-encoding in the query string: no canonical request, so nothing can match its signature.
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "The query string is not validly percent-encoded, so it "
                    + "cannot be signed.", null);
        }
    }

    private Verdict verifyEitherForm(SignedRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            return verifyHeader(request, authorization);
        }
        if (request.rawQuery() != null && request.rawQuery().contains("X-Amz-")) {
            Map<String, String> query = queryParameters(request.rawQuery());
            if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Credential")
                    || query.containsKey("X-Amz-Algorithm")) {
                return verifyPresigned(request, query);
            }
        }
        return new Verdict.Refused(AuthFailure.MISSING_AUTHENTICATION_TOKEN, null, null);
    }

    private Verdict verifyHeader(SignedRequest request, String authorization) {
        String trimmed = authorization.trim();
        if (!trimmed.startsWith(SigV4.ALGORITHM + " ")) {
            return incomplete("Unsupported AWS 'algorithm' in the Authorization header: only " + SigV4.ALGORITHM
                    + " is accepted.", null);
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : trimmed.substring(SigV4.ALGORITHM.length() + 1).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        String dateTime = request.header("X-Amz-Date");
        if (parts.get("Credential") == null || parts.get("SignedHeaders") == null || parts.get("Signature") == null
                || dateTime == null) {
            return incomplete(INCOMPLETE_HEADER, null);
        }
        return verifySignature(request, new Claim(parts.get("Credential"), parts.get("SignedHeaders"),
                parts.get("Signature"), dateTime, null), SigV4.canonicalQuery(request.rawQuery()));
    }

    private Verdict verifyPresigned(SignedRequest request, Map<String, String> query) {
        String algorithm = query.get("X-Amz-Algorithm");
        String expires = query.get("X-Amz-Expires");
        if (algorithm == null || query.get("X-Amz-Credential") == null || query.get("X-Amz-Date") == null
                || expires == null || query.get("X-Amz-SignedHeaders") == null || query.get("X-Amz-Signature") == null) {
            return incomplete(INCOMPLETE_QUERY, null);
        }
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            return incomplete("X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\".", null);
        }
        long expiresSeconds;
        try {
            expiresSeconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return incomplete("X-Amz-Expires should be a number.", null);
        }
        if (expiresSeconds < 0 || expiresSeconds > MAX_EXPIRES_SECONDS) {
            return incomplete("X-Amz-Expires must be non-negative and less than a week (in seconds), that is "
                    + MAX_EXPIRES_SECONDS + ".", null);
        }
        return verifySignature(request, new Claim(query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"),
                query.get("X-Amz-Signature"), query.get("X-Amz-Date"), Duration.ofSeconds(expiresSeconds)),
                SigV4.canonicalQuery(request.rawQuery(), "X-Amz-Signature"));
    }

    /** The parts a signature claims, from either form; {@code expiresIn} is null for the header form. */
    private record Claim(String credential, String signedHeaders, String signature, String dateTime, Duration expiresIn) {
    }

    private Verdict verifySignature(SignedRequest request, Claim claim, String canonicalQuery) {
        String[] credential = claim.credential().split("/", -1);
        if (credential.length != 5 || credential[0].isEmpty()) {
            return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/aws4_request, got '" + claim.credential() + "'.", null);
        }
        String accessKeyId = credential[0];
        String date = credential[1];
        String region = credential[2];
        String service = credential[3];
        if (!credential[4].equals("aws4_request")) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped with a valid terminator: "
                    + "'aws4_request', not '" + credential[4] + "'.", service);
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(SigV4.DATE_TIME.parse(claim.dateTime()));
        } catch (DateTimeParseException e) {
            return incomplete("Date must be in ISO-8601 'basic format'. Got '" + claim.dateTime() + "'. See "
                    + "http://en.wikipedia.org/wiki/ISO_8601", service);
        }
        List<String> signedHeaders = List.of(claim.signedHeaders().split(";"));
        if (!signedHeaders.contains("host")) {
            return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", service);
        }
        KeyDirectory.SigningKey key = keys.find(accessKeyId).orElse(null);
        if (key == null) {
            return refused(AuthFailure.INVALID_CLIENT_TOKEN_ID, null, service);
        }
        String secret = key.secretAccessKey();
        Verdict late = checkTime(signedAt, claim.expiresIn(), service);
        if (late != null) {
            return late;
        }
        if (!claim.dateTime().startsWith(date)) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "Date in Credential scope does not match YYYYMMDD "
                    + "from ISO-8601 version of date from HTTP: '" + date + "' != '" + claim.dateTime().substring(0, 8)
                    + "', from '" + claim.dateTime() + "'.", service);
        }
        String payloadHash = payloadHash(request);
        if (payloadHash == null) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.", service);
        }
        Verdict unsigned = unsignedParts(request, signedHeaders, payloadHash, claim.expiresIn() != null, service);
        if (unsigned != null) {
            return unsigned;
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        for (String name : signedHeaders) {
            List<String> values = request.headers().apply(name);
            canonicalHeaders.put(name.toLowerCase(Locale.ROOT),
                    values == null ? "" : SigV4.canonicalHeaderValue(values));
        }
        String canonicalRequest = SigV4.canonicalRequest(request.method(), SigV4.canonicalPath(request.rawPath()),
                canonicalQuery, canonicalHeaders, payloadHash);
        String scope = SigV4.scope(date, region, service);
        String expected = SigV4.signature(signingKey(accessKeyId, secret, date, region, service),
                SigV4.stringToSign(claim.dateTime(), scope, canonicalRequest));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                claim.signature().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, null, service);
        }
        return new Verdict.Verified(accessKeyId, service, key.accountId());
    }

    /**
     * Null when everything the service reads of the request is signed, else the refusal: a body must be covered by
     * the payload hash (no {@code UNSIGNED-PAYLOAD} with a body) and a presigned URL carries no body at all (its
     * parameters are in its signed query string); the headers that choose or change the action
     * ({@link #isRequestShaping}) must be among the signed headers when present. Else anyone holding a signed
     * request could add a body or a header that the routes read instead of, or beside, what was signed.
     */
    private static Verdict unsignedParts(SignedRequest request, List<String> signedHeaders, String payloadHash,
            boolean presigned, String service) {
        if (request.body().length > 0 && presigned) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "A presigned URL is sent without a body: its "
                    + "parameters belong in its signed query string.", service);
        }
        if (request.body().length > 0 && SigV4.UNSIGNED_PAYLOAD.equals(payloadHash)) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "The request body must be signed: "
                    + "'x-amz-content-sha256: " + SigV4.UNSIGNED_PAYLOAD + "' is accepted only without a body.", service);
        }
        List<String> unsignedHeaders = request.headerNames().stream()
                .filter(SigV4Verifier::isRequestShaping)
                .filter(name -> signedHeaders.stream().noneMatch(name::equalsIgnoreCase))
                .sorted().toList();
        if (!unsignedHeaders.isEmpty()) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "These headers must be signed when present: "
                    + String.join(", ", unsignedHeaders) + ".", service);
        }
        // Lines of one header are signed joined by commas, but the routes read the first line: "a,b" signed as one
        // line could be replayed as the lines "a" and "b" under the same signature, and run "a".
        List<String> repeatedHeaders = request.headerNames().stream()
                .filter(SigV4Verifier::isRequestShaping)
                .filter(name -> request.headers().apply(name) != null && request.headers().apply(name).size() > 1)
                .sorted().toList();
        if (!repeatedHeaders.isEmpty()) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "These headers may appear only once: "
                    + String.join(", ", repeatedHeaders) + ".", service);
        }
        return null;
    }

    /**
     * A header that chooses or changes what a request does, so it must be signed when present: {@code X-Amz-Target}
     * (the SQS JSON action) and every {@code Sluice-*} header (REST message attributes, delay, group and
     * deduplication ids). Not {@code Content-Type}: the AWS SDK for Java v1 sends it unsigned (Query requests), so
     * nothing that runs depends on it (the Query decoders read the body as a form whatever its type, and SQS JSON
     * takes its action from the signed target; a JSON type without a target only fails).
     */
    static boolean isRequestShaping(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        return name.equals("x-amz-target") || name.startsWith("sluice-");
    }

    /** Null when the time is acceptable, else the refusal AWS gives. */
    private Verdict checkTime(Instant signedAt, Duration expiresIn, String service) {
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "Signature not yet current: "
                    + SigV4.DATE_TIME.format(signedAt) + " is still later than " + SigV4.DATE_TIME.format(now.plus(MAX_SKEW))
                    + " (" + SigV4.DATE_TIME.format(now) + " + 15 min.)", service);
        }
        if (expiresIn != null) {
            return now.isAfter(signedAt.plus(expiresIn))
                    ? refused(AuthFailure.REQUEST_EXPIRED, "Request has expired.", service) : null;
        }
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return refused(AuthFailure.SIGNATURE_DOES_NOT_MATCH, "Signature expired: " + SigV4.DATE_TIME.format(signedAt)
                    + " is now earlier than " + SigV4.DATE_TIME.format(now.minus(MAX_SKEW)) + " ("
                    + SigV4.DATE_TIME.format(now) + " - 15 min.)", service);
        }
        return null;
    }

    /** The hash to sign with, or null when the client's {@code x-amz-content-sha256} is not the body's. */
    private static String payloadHash(SignedRequest request) {
        String claimed = request.header("x-amz-content-sha256");
        if (SigV4.UNSIGNED_PAYLOAD.equals(claimed)) {
            return SigV4.UNSIGNED_PAYLOAD;
        }
        String actual = SigV4.sha256Hex(request.body());
        return claimed == null || claimed.equalsIgnoreCase(actual) ? actual : null;
    }

    private byte[] signingKey(String accessKeyId, String secret, String date, String region, String service) {
        // An id's secret never changes (rotation makes a new key id), so the derived key may be cached by id: a key
        // disabled or deleted is refused above, by the directory, before this cache is consulted.
        String cacheKey = accessKeyId + '/' + SigV4.scope(date, region, service);
        byte[] key = signingKeys.get(cacheKey);
        if (key == null) {
            key = SigV4.signingKey(secret, date, region, service);
            if (signingKeys.size() >= MAX_CACHED_KEYS) {
                signingKeys.clear();
            }
            signingKeys.put(cacheKey, key);
        }
        return key;
    }

    /** The X-Amz-* parameters of a query string, decoded; others are left out. */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        for (String part : rawQuery.split("&")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.startsWith("X-Amz-")) {
                try {
                    parameters.putIfAbsent(part.substring(0, equals), java.net.URLDecoder.decode(
                            part.substring(equals + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // A broken percent-encoding leaves the parameter out: the signature is then incomplete.
                }
            }
        }
        return parameters;
    }

    private static Verdict incomplete(String message, String service) {
        return refused(AuthFailure.INCOMPLETE_SIGNATURE, message, service);
    }

    private static Verdict refused(AuthFailure failure, String message, String service) {
        return new Verdict.Refused(failure, message, service);
    }
}
