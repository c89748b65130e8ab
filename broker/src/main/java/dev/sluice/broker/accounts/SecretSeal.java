package dev.sluice.broker.accounts;

import dev.sluice.broker.config.ClusterKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secret access keys with AES-256-GCM under the cluster key. The access key id is the associated
 * data, so a sealed secret copied onto another key's record does not open. Opening under another cluster key, or a
 * record changed on disk, fails (GCM's tag) rather than yielding garbage. Thread-safe.
 */
public final class SecretSeal {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final ClusterKey clusterKey;
    private final SecureRandom random;

    public SecretSeal(ClusterKey clusterKey, SecureRandom random) {
        this.clusterKey = clusterKey;
        this.random = random;
    }

    /** The id of the cluster key this seal uses. */
    public String clusterKeyId() {
        return clusterKey.id();
    }

    public SealedSecret seal(String accessKeyId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, accessKeyId);
            return new SealedSecret(clusterKey.id(), nonce, cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The secret; throws {@link WrongClusterKeyException} when it was sealed under another cluster key or does not
     * open under this one (changed on disk, or copied from another key's record).
     */
    public String open(String accessKeyId, SealedSecret sealed) {
        if (!sealed.clusterKeyId().equals(clusterKey.id())) {
            throw new WrongClusterKeyException("the secret of access key " + accessKeyId + " is sealed under cluster key "
                    + sealed.clusterKeyId() + ", but this node has cluster key " + clusterKey.id());
        }
        try {
            byte[] plain = cipher(Cipher.DECRYPT_MODE, sealed.nonce(), accessKeyId).doFinal(sealed.ciphertext());
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new WrongClusterKeyException("the secret of access key " + accessKeyId + " does not open under cluster key "
                    + clusterKey.id() + " (changed, or sealed under another key with the same id)");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String accessKeyId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(clusterKey.bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed secret this node cannot open: the cluster key differs from the one that sealed it. */
    public static final class WrongClusterKeyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongClusterKeyException(String message) {
            super(message);
        }
    }
}
