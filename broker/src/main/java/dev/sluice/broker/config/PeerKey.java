package dev.sluice.broker.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key a node signs its calls to another node's operator-only routes with (the console's cluster-wide numbers
 * read each node's share at {@code .../node}). It is derived, never configured: an HMAC-SHA256 over every config
 * key's id and secret and the cluster key, so every node of a cluster (which shares that configuration) derives
 * the same key, and only someone who holds every secret of the configuration can, which is the operator. It is an
 * admin key of the default account. Without config keys auth is off and there is none.
 */
public final class PeerKey {
    private static final String ID_PREFIX = "SLUICEPEER";

    private PeerKey() {
    }

    public static Optional<SluiceConfig.AccessKey> derive(SluiceConfig.Auth auth) {
        if (auth.accessKeys().isEmpty()) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("sluice-peer-key-v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            auth.accessKeys().stream().sorted(Comparator.comparing(SluiceConfig.AccessKey::accessKeyId)).forEach(key -> {
                mac.update(lengthPrefixed(key.accessKeyId()));
                mac.update(lengthPrefixed(key.secretAccessKey()));
            });
            auth.clusterKey().ifPresent(key -> mac.update(key.bytes()));
            byte[] secret = mac.doFinal();
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String id = ID_PREFIX + HexFormat.of().withUpperCase().formatHex(mac.doFinal(
                    "id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
            return Optional.of(new SluiceConfig.AccessKey(id, Base64.getEncoder().encodeToString(secret), true));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] lengthPrefixed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 4];
        out[0] = (byte) (bytes.length >>> 24);
        out[1] = (byte) (bytes.length >>> 16);
        out[2] = (byte) (bytes.length >>> 8);
        out[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, out, 4, bytes.length);
        return out;
    }
}
