package dev.sluice.broker.accounts;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret access key sealed with AES-256-GCM under the cluster key named by {@code clusterKeyId}: what the catalog
 * stores instead of the secret. {@link #toString()} shows only the key id.
 *
 * @param nonce the 12-byte GCM nonce, random per sealing
 * @param ciphertext the encrypted secret followed by GCM's 16-byte tag
 */
public record SealedSecret(String clusterKeyId, byte[] nonce, byte[] ciphertext) {
    public SealedSecret {
        Objects.requireNonNull(clusterKeyId, "clusterKeyId");
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedSecret that && clusterKeyId.equals(that.clusterKeyId)
                && Arrays.equals(nonce, that.nonce) && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusterKeyId, Arrays.hashCode(nonce), Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "SealedSecret[cluster key " + clusterKeyId + ", nonce " + HexFormat.of().formatHex(nonce) + "]";
    }
}
