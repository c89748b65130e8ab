package dev.sluice.broker.accounts;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An access key of an account, as the catalog stores it: never the secret itself, only sealed.
 *
 * @param accessKeyId {@code AKIA} and 16 characters of A-Z and 2-7, as AWS's long-term keys look
 * @param state ACTIVE keys sign requests; DISABLED ones are refused (InvalidClientTokenId)
 * @param policies the managed policies attached to the key ({@link #MANAGED_POLICIES}), sorted, each once
 * @param createdMillis when the key was created, epoch milliseconds
 * @param rotatedMillis when a rotation replaced it (0: never)
 * @param disableAtMillis from when on the key is refused although ACTIVE: the end of the grace a rotation gave it
 *     (0: no such end)
 */
public record AccountKey(String accessKeyId, String accountId, State state, SealedSecret secret, List<String> policies,
        long createdMillis, long rotatedMillis, long disableAtMillis) {
    public static final Pattern ID = Pattern.compile("AKIA[A-Z2-7]{16}");
    /** The managed policies a key may have attached (their meaning is the policy evaluator's; issue 16 C). */
    public static final List<String> MANAGED_POLICIES = dev.sluice.broker.auth.policy.ManagedPolicies.NAMES;

    public enum State { ACTIVE, DISABLED }

    public AccountKey {
        if (accessKeyId == null || !ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("access key id must be AKIA and 16 of A-Z, 2-7");
        }
        if (accountId == null || !Account.ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(secret, "secret");
        for (String policy : policies) {
            if (!MANAGED_POLICIES.contains(policy)) {
                throw new IllegalArgumentException("no managed policy " + policy);
            }
        }
        policies = List.copyOf(new TreeSet<>(policies));
    }

    /** True when the key signs requests at {@code nowMillis} (its account's state aside). */
    public boolean usableAt(long nowMillis) {
        return state == State.ACTIVE && (disableAtMillis == 0 || nowMillis < disableAtMillis);
    }

    public AccountKey disabled() {
        return new AccountKey(accessKeyId, accountId, State.DISABLED, secret, policies, createdMillis, rotatedMillis, 0);
    }

    /** Replaced by a rotation at {@code nowMillis}: usable until {@code disableAtMillis}, or disabled at once. */
    public AccountKey rotated(long nowMillis, long graceMillis) {
        return graceMillis <= 0 ? new AccountKey(accessKeyId, accountId, State.DISABLED, secret, policies, createdMillis,
                nowMillis, 0)
                : new AccountKey(accessKeyId, accountId, state, secret, policies, createdMillis, nowMillis,
                        disableAtMillis == 0 ? nowMillis + graceMillis : Math.min(disableAtMillis, nowMillis + graceMillis));
    }

    public AccountKey withPolicies(List<String> newPolicies) {
        return new AccountKey(accessKeyId, accountId, state, secret, newPolicies, createdMillis, rotatedMillis, disableAtMillis);
    }
}
