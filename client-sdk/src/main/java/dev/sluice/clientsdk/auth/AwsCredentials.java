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

    /**
     * The credentials in {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and (optional)
     * {@code AWS_SESSION_TOKEN}, as the AWS CLI and SDKs read them; empty unless both keys are set and
     * non-empty. Pass {@code System.getenv()}.
     */
    public static java.util.Optional<AwsCredentials> fromEnvironment(java.util.Map<String, String> environment) {
        String keyId = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || keyId.isEmpty() || secret == null || secret.isEmpty()) {
            return java.util.Optional.empty();
        }
        String token = environment.get("AWS_SESSION_TOKEN");
        return java.util.Optional.of(new AwsCredentials(keyId, secret, token == null || token.isEmpty() ? null : token));
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken == null ? "" : ", sessionToken=****") + "]";
    }
}
