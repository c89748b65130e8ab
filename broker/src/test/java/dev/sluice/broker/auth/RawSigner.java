package dev.sluice.broker.auth;

import dev.sluice.clientsdk.auth.SigV4;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs raw requests for {@link dev.sluice.broker.hostile.RawHttp} the way any SigV4 signer may, including the
 * choices client-sdk's signer never makes (an {@code UNSIGNED-PAYLOAD} presigned URL, a chosen set of signed
 * headers), so that tests can then change what was signed. Host is always {@code 127.0.0.1:port}, as RawHttp sends it.
 */
public final class RawSigner {
    static final String REGION = "us-east-1";
    private final String accessKeyId;
    private final String secret;
    private final String host;

    public RawSigner(String accessKeyId, String secret, int port) {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.host = "127.0.0.1:" + port;
    }

    /**
     * The headers of a header-signed request: {@code signedHeaders} (all signed), {@code X-Amz-Date},
     * {@code x-amz-content-sha256} with {@code payloadHash} (null: the body's hash) and {@code Authorization}.
     */
    public List<Map.Entry<String, String>> headers(String method, String rawPath, String rawQuery,
            Map<String, String> signedHeaders, byte[] body, String payloadHash, String service, Instant now) {
        String dateTime = SigV4.DATE_TIME.format(now);
        String scope = SigV4.scope(SigV4.DATE.format(now), REGION, service);
        String hash = payloadHash == null ? SigV4.sha256Hex(body) : payloadHash;
        TreeMap<String, String> canonical = new TreeMap<>();
        canonical.put("host", host);
        canonical.put("x-amz-date", dateTime);
        canonical.put("x-amz-content-sha256", hash);
        signedHeaders.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT),
                SigV4.canonicalHeaderValue(List.of(value))));
        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalPath(rawPath),
                SigV4.canonicalQuery(rawQuery), canonical, hash);
        String signature = SigV4.signature(SigV4.signingKey(secret, SigV4.DATE.format(now), REGION, service),
                SigV4.stringToSign(dateTime, scope, canonicalRequest));
        List<Map.Entry<String, String>> headers = new ArrayList<>(signedHeaders.entrySet());
        headers.add(Map.entry("X-Amz-Date", dateTime));
        headers.add(Map.entry("x-amz-content-sha256", hash));
        headers.add(Map.entry("Authorization", SigV4.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + String.join(";", canonical.keySet()) + ", Signature=" + signature));
        return headers;
    }

    /** A presigned request target ({@code path?query&X-Amz-...}) signing only host, with {@code payloadHash}. */
    String presign(String method, String rawPath, String rawQuery, String payloadHash, String service, Instant now) {
        String dateTime = SigV4.DATE_TIME.format(now);
        String scope = SigV4.scope(SigV4.DATE.format(now), REGION, service);
        String query = (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&")
                + "X-Amz-Algorithm=" + SigV4.ALGORITHM
                + "&X-Amz-Credential=" + SigV4.encode(accessKeyId + "/" + scope, false)
                + "&X-Amz-Date=" + dateTime + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalPath(rawPath),
                SigV4.canonicalQuery(query), new TreeMap<>(Map.of("host", host)), payloadHash);
        String signature = SigV4.signature(SigV4.signingKey(secret, SigV4.DATE.format(now), REGION, service),
                SigV4.stringToSign(dateTime, scope, canonicalRequest));
        return rawPath + "?" + query + "&X-Amz-Signature=" + signature;
    }
}
