package dev.sluice.broker.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The cluster key: 32 random bytes (AES-256) that seal the secrets of catalog access keys, the same on every node
 * ({@code auth.clusterKey} / {@code SLUICE_CLUSTER_KEY}, base64). Its {@link #id()} is stored beside each sealed
 * secret, so a node started with another key notices instead of decrypting garbage, and the key can later be
 * rotated. {@link #toString()} shows only the id, so configs can be logged.
 */
public final class ClusterKey {
    public static final int BYTES = 32;

    private final byte[] key;
    private final String id;

    private ClusterKey(byte[] key) {
        this.key = key.clone();
        this.id = idOf(key);
    }

    /** Reads the base64 text form; throws IllegalArgumentException (never quoting the text) unless it is 32 bytes. */
    public static ClusterKey parse(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.clusterKey must be base64 (e.g. from `openssl rand -base64 32`)");
        }
        if (decoded.length != BYTES) {
            throw new IllegalArgumentException("auth.clusterKey must be " + BYTES + " bytes in base64, got "
                    + decoded.length + " bytes");
        }
        return new ClusterKey(decoded);
    }

    /** The key bytes (a copy). */
    public byte[] bytes() {
        return key.clone();
    }

    /** 16 hex digits of the SHA-256 of "sluice-cluster-key" and the key: names the key, reveals nothing of it. */
    public String id() {
        return id;
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("sluice-cluster-key".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(key), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterKey that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "cluster key " + id;
    }
}
