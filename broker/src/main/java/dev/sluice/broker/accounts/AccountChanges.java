package dev.sluice.broker.accounts;

import dev.sluice.broker.accounts.AccountChangeRefusedException.Reason;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The operator's changes to accounts and keys ({@code /v1/admin/accounts}), each a catalog write committed on a
 * quorum before it answers. Ids and secrets are chosen here, at the edge, from a {@link SecureRandom}: the catalog
 * stores values, so apply stays deterministic. A new secret is returned exactly once (by {@link #createKey} or
 * {@link #rotateKey}) and stored only sealed. Refusals complete with {@link AccountChangeRefusedException}.
 * Thread-safe.
 */
public final class AccountChanges {
    /** The account every config key and every caller belongs to while auth is off; it exists without a record. */
    public static final String DEFAULT_ACCOUNT = "000000000000";
    /** Keys one account may hold, disabled ones included (AWS allows 2 per IAM user; a rotation needs 2 at once). */
    public static final int MAX_KEYS_PER_ACCOUNT = 10;
    /** The longest grace a rotation may give the old key. */
    public static final Duration MAX_ROTATION_GRACE = Duration.ofDays(7);
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** Attempts at an unused random id before giving up (a collision among 10^12 ids is already unlikely). */
    private static final int ID_ATTEMPTS = 5;

    private final AccountCatalog catalog;
    private final Optional<SecretSeal> seal;
    private final SecureRandom random;
    private final InstantSource clock;
    private final Supplier<CompletableFuture<Void>> changed;

    /**
     * @param seal the cluster key's seal; empty when the node has no cluster key (keys cannot be created then)
     * @param changed runs after every stored change to keys or accounts, before the answer (refreshes this node's key
     *     directory, so that a created key works and a disabled one is refused here as soon as the operator hears back)
     */
    public AccountChanges(AccountCatalog catalog, Optional<SecretSeal> seal, SecureRandom random, InstantSource clock,
            Supplier<CompletableFuture<Void>> changed) {
        this.catalog = catalog;
        this.seal = seal;
        this.random = random;
        this.clock = clock;
        this.changed = changed;
    }

    /** {@code write}'s value once {@link #changed} has run (whether or not it succeeded). */
    private <T> CompletableFuture<T> published(CompletableFuture<T> write) {
        return write.thenCompose(value -> changed.get().handle((ignored, failure) -> value));
    }

    /** A key just created, with the secret that is shown this once. */
    public record NewKey(AccountKey key, String secretAccessKey) {
        @Override
        public String toString() {
            return "NewKey[" + key.accessKeyId() + "]";
        }
    }

    /** The default account, which has no catalog record: always open. */
    static Account defaultAccount() {
        return new Account(DEFAULT_ACCOUNT, "default", Account.State.OPEN, 0, AccountQuotas.NONE);
    }

    /** Creates an account; {@code id} empty lets the server choose one. */
    public CompletableFuture<Account> createAccount(Optional<String> id, String name) {
        if (name == null || !Account.NAME.matcher(name).matches()) {
            return refused(Reason.INVALID, "name must be 1-64 of letters, digits, space and ._@+=,-");
        }
        if (id.isPresent()) {
            if (!Account.ID.matcher(id.get()).matches()) {
                return refused(Reason.INVALID, "accountId must be 12 digits, e.g. 111122223333");
            }
            if (id.get().equals(DEFAULT_ACCOUNT)) {
                return refused(Reason.CONFLICT, "account " + DEFAULT_ACCOUNT + " is the default account; it always exists");
            }
            Account account = new Account(id.get(), name, Account.State.OPEN, clock.millis());
            return catalog.putAccountIfAbsent(account).thenApply(stored -> {
                if (!stored) {
                    throw refusal(Reason.CONFLICT, "account " + account.id() + " already exists");
                }
                return account;
            });
        }
        return createWithRandomId(name, ID_ATTEMPTS);
    }

    private CompletableFuture<Account> createWithRandomId(String name, int attempts) {
        // First digit 1-9: never the default account, and the id reads as a number without leading zeros.
        String id = (1 + random.nextInt(9)) + String.format("%011d", Math.floorMod(random.nextLong(), 100_000_000_000L));
        Account account = new Account(id, name, Account.State.OPEN, clock.millis());
        return catalog.putAccountIfAbsent(account).thenCompose(stored -> stored ? CompletableFuture.completedFuture(account)
                : attempts > 1 ? createWithRandomId(name, attempts - 1)
                : refused(Reason.CONFLICT, "no unused account id found; retry"));
    }

    /** The default account first, then every other in id order. */
    public CompletableFuture<List<Account>> accounts() {
        return catalog.accounts().thenApply(stored -> {
            List<Account> all = new ArrayList<>(List.of(defaultAccount()));
            all.addAll(stored);
            return all;
        });
    }

    public CompletableFuture<Account> account(String id) {
        if (!Account.ID.matcher(id == null ? "" : id).matches()) {
            return refused(Reason.INVALID, "accountId must be 12 digits, e.g. 111122223333");
        }
        if (id.equals(DEFAULT_ACCOUNT)) {
            return CompletableFuture.completedFuture(defaultAccount());
        }
        return catalog.account(id).thenApply(found -> found.orElseThrow(() -> refusal(Reason.NOT_FOUND, "no account " + id)));
    }

    /** Closes the account (idempotent): its keys stop working; it can no longer get keys. */
    public CompletableFuture<Account> closeAccount(String id) {
        return account(id).thenCompose(account -> {
            if (id.equals(DEFAULT_ACCOUNT)) {
                throw refusal(Reason.CONFLICT, "the default account cannot be closed: the config keys belong to it");
            }
            return published(catalog.updateAccount(id, Account::closed)
                    .thenApply(found -> found.orElseThrow(() -> refusal(Reason.NOT_FOUND, "no account " + id))));
        });
    }

    /**
     * Changes some of an account's quotas (the others keep their values) and answers the account as stored. The
     * default account has no record and no quotas: refused (it holds the config keys, which must never be throttled).
     */
    public CompletableFuture<Account> setQuotas(String id, java.util.Map<AccountQuotas.Quota, Long> changes) {
        return account(id).thenCompose(account -> {
            if (id.equals(DEFAULT_ACCOUNT)) {
                throw refusal(Reason.CONFLICT, "the default account " + DEFAULT_ACCOUNT + " has no quotas: it holds the "
                        + "config keys; give tenants accounts of their own");
            }
            try {
                // Checked here, before the write, so that a bad value is a 400 and not a failed catalog update.
                account.quotas().with(changes);
            } catch (IllegalArgumentException e) {
                throw refusal(Reason.INVALID, e.getMessage());
            }
            return published(catalog.updateAccount(id, stored -> stored.withQuotas(stored.quotas().with(changes)))
                    .thenApply(found -> found.orElseThrow(() -> refusal(Reason.NOT_FOUND, "no account " + id))));
        });
    }

    /** Creates a key in an open account, with the given managed policies attached. */
    public CompletableFuture<NewKey> createKey(String accountId, List<String> policies) {
        if (seal.isEmpty()) {
            return refused(Reason.CONFLICT, "this server has no cluster key (auth.clusterKey / SLUICE_CLUSTER_KEY), which "
                    + "seals the secrets of created keys: keys cannot be created until every node is started with one");
        }
        for (String policy : policies) {
            if (!AccountKey.MANAGED_POLICIES.contains(policy)) {
                return refused(Reason.INVALID, "no managed policy " + policy + "; the managed policies are "
                        + String.join(", ", AccountKey.MANAGED_POLICIES));
            }
        }
        return openAccount(accountId).thenCompose(account -> catalog.keys(accountId)).thenCompose(keys -> {
            if (keys.size() >= MAX_KEYS_PER_ACCOUNT) {
                throw refusal(Reason.CONFLICT, "account " + accountId + " already has " + keys.size()
                        + " access keys, the most it may hold; delete one first");
            }
            return published(storeNewKey(accountId, policies, ID_ATTEMPTS));
        });
    }

    private CompletableFuture<NewKey> storeNewKey(String accountId, List<String> policies, int attempts) {
        StringBuilder id = new StringBuilder("AKIA");
        for (int i = 0; i < 16; i++) {
            id.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
        }
        byte[] secretBytes = new byte[30];
        random.nextBytes(secretBytes);
        // 40 characters of base64, as AWS's secret access keys look.
        String secret = Base64.getEncoder().encodeToString(secretBytes);
        AccountKey key = new AccountKey(id.toString(), accountId, AccountKey.State.ACTIVE,
                seal.orElseThrow().seal(id.toString(), secret), policies, clock.millis(), 0, 0);
        return catalog.putKeyIfAbsent(key).thenCompose(stored -> stored ? CompletableFuture.completedFuture(new NewKey(key, secret))
                : attempts > 1 ? storeNewKey(accountId, policies, attempts - 1)
                : refused(Reason.CONFLICT, "no unused access key id found; retry"));
    }

    public CompletableFuture<List<AccountKey>> keys(String accountId) {
        return account(accountId).thenCompose(account -> catalog.keys(accountId));
    }

    public CompletableFuture<AccountKey> key(String accountId, String accessKeyId) {
        return checkedKeyId(accessKeyId).thenCompose(ok -> account(accountId)).thenCompose(account ->
                catalog.key(accountId, accessKeyId)).thenApply(found -> found.orElseThrow(() -> noKey(accountId, accessKeyId)));
    }

    /**
     * Rotation: a new key (same policies) whose secret is answered once; the old key keeps working for
     * {@code grace} (zero: it is disabled at once), then is refused like a disabled one.
     */
    public CompletableFuture<NewKey> rotateKey(String accountId, String accessKeyId, Duration grace) {
        if (grace.isNegative() || grace.compareTo(MAX_ROTATION_GRACE) > 0) {
            return refused(Reason.INVALID, "graceSeconds must be 0 to " + MAX_ROTATION_GRACE.toSeconds());
        }
        return key(accountId, accessKeyId).thenCompose(old -> {
            if (old.state() == AccountKey.State.DISABLED) {
                throw refusal(Reason.CONFLICT, "access key " + accessKeyId + " is disabled; create a new key instead");
            }
            return createKey(accountId, old.policies()).thenCompose(created -> changeKey(accountId, accessKeyId,
                    key -> key.rotated(clock.millis(), grace.toMillis())).thenApply(rotated -> created));
        });
    }

    public CompletableFuture<AccountKey> disableKey(String accountId, String accessKeyId) {
        return key(accountId, accessKeyId).thenCompose(found -> changeKey(accountId, accessKeyId, AccountKey::disabled));
    }

    public CompletableFuture<Void> deleteKey(String accountId, String accessKeyId) {
        return published(key(accountId, accessKeyId).thenCompose(found -> catalog.deleteKey(accountId, accessKeyId))
                .thenApply(existed -> null));
    }

    /** Attaches a managed policy (idempotent). */
    public CompletableFuture<AccountKey> attachPolicy(String accountId, String accessKeyId, String policy) {
        if (!AccountKey.MANAGED_POLICIES.contains(policy)) {
            return refused(Reason.NOT_FOUND, "no managed policy " + policy + "; the managed policies are "
                    + String.join(", ", AccountKey.MANAGED_POLICIES));
        }
        return key(accountId, accessKeyId).thenCompose(found -> changeKey(accountId, accessKeyId, key -> {
            List<String> policies = new ArrayList<>(key.policies());
            policies.add(policy);
            return key.withPolicies(policies);
        }));
    }

    /** Detaches a managed policy; 404 when it is not attached (as IAM's DetachUserPolicy answers NoSuchEntity). */
    public CompletableFuture<AccountKey> detachPolicy(String accountId, String accessKeyId, String policy) {
        return key(accountId, accessKeyId).thenCompose(found -> changeKey(accountId, accessKeyId, key -> {
            if (!key.policies().contains(policy)) {
                throw refusal(Reason.NOT_FOUND, "policy " + policy + " is not attached to access key " + accessKeyId);
            }
            List<String> policies = new ArrayList<>(key.policies());
            policies.remove(policy);
            return key.withPolicies(policies);
        }));
    }

    private CompletableFuture<Account> openAccount(String accountId) {
        return account(accountId).thenApply(account -> {
            if (!account.open()) {
                throw refusal(Reason.CONFLICT, "account " + accountId + " is closed");
            }
            return account;
        });
    }

    private CompletableFuture<AccountKey> changeKey(String accountId, String accessKeyId,
            java.util.function.Function<AccountKey, AccountKey> change) {
        return published(catalog.updateKey(accountId, accessKeyId, change)
                .thenApply(found -> found.orElseThrow(() -> noKey(accountId, accessKeyId))));
    }

    private static CompletableFuture<Void> checkedKeyId(String accessKeyId) {
        if (accessKeyId == null || !AccountKey.ID.matcher(accessKeyId).matches()) {
            return refused(Reason.INVALID, "accessKeyId must be AKIA and 16 of A-Z, 2-7");
        }
        return CompletableFuture.completedFuture(null);
    }

    private static AccountChangeRefusedException noKey(String accountId, String accessKeyId) {
        return refusal(Reason.NOT_FOUND, "account " + accountId + " has no access key " + accessKeyId);
    }

    private static AccountChangeRefusedException refusal(Reason reason, String message) {
        return new AccountChangeRefusedException(reason, message);
    }

    private static <T> CompletableFuture<T> refused(Reason reason, String message) {
        return CompletableFuture.failedFuture(new CompletionException(refusal(reason, message)));
    }
}
