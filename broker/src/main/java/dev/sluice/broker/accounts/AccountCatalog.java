package dev.sluice.broker.accounts;

import dev.sluice.raftstore.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Where accounts and keys live in the replicated catalog: namespace {@value #ACCOUNTS} keyed by account id, and
 * {@value #KEYS} keyed by {@code accountId/accessKeyId} (one account's keys are one prefix). Values are
 * {@link AccountRecordCodec}'s. Thread-safe.
 */
public final class AccountCatalog {
    static final String ACCOUNTS = "auth.accounts";
    static final String KEYS = "auth.keys";
    /** Entries a scan page carries; scans page until the namespace is exhausted. */
    private static final int PAGE = 500;
    /** Conflicting writes an update re-reads and retries before it answers Conflict. */
    static final int UPDATE_ATTEMPTS = 16;

    private final Catalog catalog;
    private final String nodeId;
    private final java.util.function.Supplier<CompletableFuture<Integer>> featureLevel;

    /**
     * @param nodeId this node, whose catalog replica {@link #localKeys} and {@link #localAccounts} read
     * @param featureLevel the cluster's effective feature level, read before each account write: it decides the
     *     record format ({@link AccountRecordCodec#encode(Account, int)})
     */
    public AccountCatalog(Catalog catalog, String nodeId, java.util.function.Supplier<CompletableFuture<Integer>> featureLevel) {
        this.catalog = catalog;
        this.nodeId = nodeId;
        this.featureLevel = featureLevel;
    }

    /** The account's record at the cluster's level, or a refusal naming the upgrade when that level cannot hold it. */
    private CompletableFuture<byte[]> encoded(Account account) {
        return featureLevel.get().thenApply(level -> AccountRecordCodec.encode(account, level).orElseThrow(() ->
                new AccountChangeRefusedException(AccountChangeRefusedException.Reason.CONFLICT, "account " + account.id()
                        + " would have quotas other than the defaults, which need cluster feature level "
                        + dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS + "; the cluster runs at level " + level
                        + " because a node runs an older release (GET /v1/cluster shows each node's featureLevel):"
                        + " finish upgrading every node, then retry")));
    }

    static String keyName(String accountId, String accessKeyId) {
        return accountId + "/" + accessKeyId;
    }

    CompletableFuture<Boolean> putAccountIfAbsent(Account account) {
        return encoded(account).thenCompose(bytes -> catalog.putIfAbsent(ACCOUNTS, account.id(), bytes));
    }

    CompletableFuture<Optional<Account>> account(String id) {
        return catalog.get(ACCOUNTS, id).thenApply(value -> value.map(AccountRecordCodec::decodeAccount));
    }

    CompletableFuture<List<Account>> accounts() {
        return scanAll(ACCOUNTS, "", null, new ArrayList<>(), entry -> AccountRecordCodec.decodeAccount(entry.value()), false);
    }

    /** Completes empty when the account does not exist; {@code change} may throw to refuse. */
    CompletableFuture<Optional<Account>> updateAccount(String id, Function<Account, Account> change) {
        return catalog.update(ACCOUNTS, id, read -> encoded(change.apply(AccountRecordCodec.decodeAccount(read))), UPDATE_ATTEMPTS,
                () -> new AccountChangeRefusedException(AccountChangeRefusedException.Reason.CONFLICT,
                        "account " + id + " is being changed concurrently; retry"))
                .thenApply(stored -> stored.map(AccountRecordCodec::decodeAccount));
    }

    CompletableFuture<Boolean> putKeyIfAbsent(AccountKey key) {
        return catalog.putIfAbsent(KEYS, keyName(key.accountId(), key.accessKeyId()), AccountRecordCodec.encode(key));
    }

    CompletableFuture<Optional<AccountKey>> key(String accountId, String accessKeyId) {
        return catalog.get(KEYS, keyName(accountId, accessKeyId)).thenApply(value -> value.map(AccountRecordCodec::decodeKey));
    }

    CompletableFuture<List<AccountKey>> keys(String accountId) {
        return scanAll(KEYS, accountId + "/", null, new ArrayList<>(), entry -> AccountRecordCodec.decodeKey(entry.value()),
                false);
    }

    /** Completes empty when the key does not exist; {@code change} may throw to refuse. */
    CompletableFuture<Optional<AccountKey>> updateKey(String accountId, String accessKeyId, Function<AccountKey, AccountKey> change) {
        return catalog.update(KEYS, keyName(accountId, accessKeyId), read -> CompletableFuture.completedFuture(
                AccountRecordCodec.encode(change.apply(AccountRecordCodec.decodeKey(read)))), UPDATE_ATTEMPTS,
                () -> new AccountChangeRefusedException(AccountChangeRefusedException.Reason.CONFLICT,
                        "access key " + accessKeyId + " is being changed concurrently; retry"))
                .thenApply(stored -> stored.map(AccountRecordCodec::decodeKey));
    }

    CompletableFuture<Boolean> deleteKey(String accountId, String accessKeyId) {
        return catalog.delete(KEYS, keyName(accountId, accessKeyId));
    }

    /** Every key as this node's catalog replica holds it (possibly a moment stale; no leader needed). */
    public CompletableFuture<List<AccountKey>> localKeys() {
        return scanAll(KEYS, "", null, new ArrayList<>(), entry -> AccountRecordCodec.decodeKey(entry.value()), true);
    }

    /** Every account as this node's catalog replica holds it. */
    public CompletableFuture<List<Account>> localAccounts() {
        return scanAll(ACCOUNTS, "", null, new ArrayList<>(), entry -> AccountRecordCodec.decodeAccount(entry.value()), true);
    }

    private <T> CompletableFuture<List<T>> scanAll(String namespace, String prefix, String startAfter, List<T> into,
            Function<Catalog.Entry, T> decode, boolean local) {
        CompletableFuture<Catalog.Page> page = local ? catalog.scanReplica(nodeId, namespace, prefix, startAfter, PAGE)
                : catalog.scan(namespace, prefix, startAfter, PAGE);
        return page.thenCompose(read -> {
            read.entries().forEach(entry -> into.add(decode.apply(entry)));
            if (!read.more() || read.entries().isEmpty()) {
                return CompletableFuture.completedFuture(into);
            }
            return scanAll(namespace, prefix, read.entries().get(read.entries().size() - 1).key(), into, decode, local);
        });
    }
}
