package dev.sluice.broker.ops;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;

/**
 * Signs a node's calls to another node's {@code /v1} API the way any client signs (SigV4), with a key of the
 * configuration every node of a cluster shares: the first admin key, else the first key. Without keys (auth off,
 * loopback only) requests go unsigned, as every caller's do. The secret never leaves this object; thread-safe.
 */
public final class PeerSigner {
    /** For the public reads ({@code /metrics/notifications}): no signature. */
    public static final PeerSigner UNSIGNED = new PeerSigner(null, "us-east-1", InstantSource.system());

    private final AwsCredentials credentials;
    private final SigV4Signer signer;
    private final InstantSource clock;

    private PeerSigner(AwsCredentials credentials, String region, InstantSource clock) {
        this.credentials = credentials;
        this.signer = new SigV4Signer("lambda", region);
        this.clock = clock;
    }

    public static PeerSigner of(SluiceConfig.Auth auth, String region, InstantSource clock) {
        AwsCredentials credentials = auth.accessKeys().stream()
                .sorted((a, b) -> Boolean.compare(b.admin(), a.admin()))
                .findFirst()
                .map(key -> new AwsCredentials(key.accessKeyId(), key.secretAccessKey(), null))
                .orElse(null);
        return new PeerSigner(credentials, region, clock);
    }

    /** Adds the signature headers of a body-less {@code GET} of {@code url} (absolute) to {@code request}. */
    public HttpRequest<Buffer> signGet(String url, HttpRequest<Buffer> request) {
        if (credentials != null) {
            signer.sign("GET", URI.create(url), Map.of(), new byte[0], credentials, clock.instant()).headers()
                    .forEach(request::putHeader);
        }
        return request;
    }
}
