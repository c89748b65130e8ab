package dev.sluice.clientsdk.auth;

import java.util.Objects;

/**
 * An AWS access key pair, optionally with the session token of temporary credentials.
 *
 * @param accessKeyId the access key id (goes into the {@code Credential=} part of the signature)
 * @param secretAccessKey the secret key (never sent; only used to derive the signing key)
 * @param sessionToken the session token of temporary credentials, or null; sent as
 *     {@code X-Amz-Security-Token} and signed
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("access key id and secret must not be empty");
        }
    }

    /** Long-term credentials: a key pair without a session token. */
    public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
        return new AwsCredentials(accessKeyId, secretAccessKey, null);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken == null ? "" : ", sessionToken=****") + "]";
    }
}
