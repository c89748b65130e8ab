package dev.sluice.broker.ops;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Signs a node's calls to another node's {@code /v1} API the way any client signs (SigV4), with the key every node
 * of a cluster derives from the configuration it shares ({@code config.PeerKey}), an operator's. Without keys (auth
 * off, loopback only) requests go unsigned, as every caller's do. The secret never leaves this object; thread-safe.
 */
public final class PeerSigner {
    private final AwsCredentials credentials;
    private final SigV4Signer signer;
    private final InstantSource clock;

    private PeerSigner(AwsCredentials credentials, String region, InstantSource clock) {
        this.credentials = credentials;
        this.signer = new SigV4Signer("lambda", region);
        this.clock = clock;
    }

    /** @param key the peer key; empty while auth is off */
    public static PeerSigner of(Optional<SluiceConfig.AccessKey> key, String region, InstantSource clock) {
        return new PeerSigner(key.map(peer -> new AwsCredentials(peer.accessKeyId(), peer.secretAccessKey(), null))
                .orElse(null), region, clock);
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
