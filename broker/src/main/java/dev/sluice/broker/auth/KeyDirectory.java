package dev.sluice.broker.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Where the verifier finds the secret of an access key id, and the account it belongs to: the config keys, plus the
 * keys operators create in the replicated catalog (see {@code accounts.LiveKeyDirectory}). A key that is unknown,
 * disabled, past its rotation grace, or whose account is closed is absent. Called on event-loop threads for every
 * signed request: implementations answer from memory, without I/O. Thread-safe.
 */
public interface KeyDirectory {

    /** The key that may sign requests now, or empty. */
    Optional<SigningKey> find(String accessKeyId);

    /**
     * A key that may sign requests; {@link #toString()} hides the secret.
     *
     * @param accountId the 12-digit account the key belongs to
     */
    record SigningKey(String accessKeyId, String secretAccessKey, String accountId) {
        @Override
        public String toString() {
            return "SigningKey[" + accessKeyId + ", account " + accountId + "]";
        }
    }

    /** A fixed directory: each key id's secret, every key of {@code accountId}. */
    static KeyDirectory of(Map<String, String> secrets, String accountId) {
        Map<String, SigningKey> keys = new java.util.HashMap<>();
        secrets.forEach((id, secret) -> keys.put(id, new SigningKey(id, secret, accountId)));
        Map<String, SigningKey> fixed = Map.copyOf(keys);
        return accessKeyId -> Optional.ofNullable(accessKeyId == null ? null : fixed.get(accessKeyId));
    }
}
