package dev.sluice.broker.accounts;

import dev.sluice.broker.auth.KeyDirectory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that may sign requests: the config keys (fixed), plus the catalog's keys as this node's catalog replica
 * holds them, re-read every {@link #REFRESH_INTERVAL} on one daemon thread. So a key disabled, deleted or rotated out
 * (without grace), or whose account was closed, stops working on a node at most one interval after that node's
 * replica applied the change; a rotation's grace ends exactly when due (checked on every request against the clock).
 * Lookups ({@link #find}) read an immutable map from memory: no I/O on the event loop.
 *
 * <p>Secrets are opened under the cluster key once per sealed value and kept only in memory. A key that does not
 * open (another cluster key) is left out and reported once at ERROR, by id; nothing secret is ever logged.
 * {@link #checkAtStart} refuses a node whose replica holds keys it cannot open. Thread-safe.
 */
public final class LiveKeyDirectory implements KeyDirectory, dev.sluice.broker.auth.policy.KeyPolicies, AutoCloseable {
    /** How often the catalog replica is re-read: the bound on how long a disabled key keeps working on a node. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMillis(500);
    /** The longest {@link #checkAtStart} waits for the local replica. */
    private static final Duration START_READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(LiveKeyDirectory.class);

    /** A catalog key as cached: what signs, and until when (0: no end). */
    private record Live(SigningKey key, long disableAtMillis, List<String> policies) {
    }

    /** An opened secret, kept while its sealed value is unchanged. */
    private record Opened(SealedSecret sealed, String secret) {
    }

    private final Map<String, SigningKey> configKeys;
    private final AccountCatalog catalog;
    private final Optional<SecretSeal> seal;
    private final InstantSource clock;
    private final java.util.function.Consumer<List<Account>> accountsRead;
    private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Map<String, Live> live = Map.of();
    private volatile Map<String, Opened> opened = Map.of();
    private ScheduledExecutorService refresher;
    /** True while refreshes fail (only the refresher thread touches it). */
    private boolean failing;

    /** @param configKeys the config's keys by id; they win over a catalog key of the same id */
    public LiveKeyDirectory(Map<String, SigningKey> configKeys, AccountCatalog catalog, Optional<SecretSeal> seal,
            InstantSource clock) {
        this(configKeys, catalog, seal, clock, accounts -> { });
    }

    /**
     * @param accountsRead given every account at each refresh, on the refresher thread (the request-rate quotas follow
     *     the accounts' quotas this way, with the same bound as the keys)
     */
    public LiveKeyDirectory(Map<String, SigningKey> configKeys, AccountCatalog catalog, Optional<SecretSeal> seal,
            InstantSource clock, java.util.function.Consumer<List<Account>> accountsRead) {
        this.accountsRead = accountsRead;
        this.configKeys = Map.copyOf(configKeys);
        this.catalog = catalog;
        this.seal = seal;
        this.clock = clock;
    }

    @Override
    public Optional<SigningKey> find(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        SigningKey config = configKeys.get(accessKeyId);
        if (config != null) {
            return Optional.of(config);
        }
        Live key = live.get(accessKeyId);
        if (key == null || (key.disableAtMillis() != 0 && clock.millis() >= key.disableAtMillis())) {
            return Optional.empty();
        }
        return Optional.of(key.key());
    }

    /** The managed policies attached to a key that may sign now; empty for a config key or an unknown one. */
    @Override
    public List<String> attachedTo(String accessKeyId) {
        Live key = accessKeyId == null || configKeys.containsKey(accessKeyId) ? null : live.get(accessKeyId);
        return key == null ? List.of() : key.policies();
    }

    /**
     * Reads the local replica once, bounded, and refuses to start (IllegalStateException, naming what to fix) when it
     * holds keys but this node has no cluster key, or keys sealed under another one. A replica that cannot be read yet
     * (a joining node) is left to the periodic refresh.
     */
    public void checkAtStart() {
        List<AccountKey> keys;
        try {
            keys = catalog.localKeys().get(START_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.info("access keys: the local catalog replica cannot be read yet ({}); the refresh will retry", e.toString());
            return;
        }
        if (keys.isEmpty()) {
            return;
        }
        if (seal.isEmpty()) {
            throw new IllegalStateException("the catalog holds " + keys.size() + " access key(s) created under "
                    + "/v1/admin/accounts, but this node has no cluster key: start it with the cluster's key in "
                    + "auth.clusterKey / SLUICE_CLUSTER_KEY");
        }
        for (AccountKey key : keys) {
            try {
                seal.get().open(key.accessKeyId(), key.secret());
            } catch (SecretSeal.WrongClusterKeyException e) {
                throw new IllegalStateException("wrong cluster key: " + e.getMessage() + "; start every node with the key "
                        + "the secrets were sealed under (auth.clusterKey / SLUICE_CLUSTER_KEY)");
            }
        }
    }

    /** Starts the periodic refresh (first one at once). */
    public synchronized void start() {
        if (refresher != null) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-key-directory");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshQuietly() {
        try {
            refresh().get(REFRESH_INTERVAL.toMillis() * 10, TimeUnit.MILLISECONDS);
            if (failing) {
                failing = false;
                LOG.info("access keys: the local catalog replica is read again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The replica may be restarting or not yet installed; the last good map stays until the next refresh. Said
            // once per outage: while it lasts, changes to catalog keys do not reach this node.
            if (!failing) {
                failing = true;
                LOG.warn("access keys: reading the local catalog replica failed ({}); the keys as last read stay in use "
                        + "until it succeeds", e.toString());
            }
        }
    }

    /**
     * Re-reads the local replica now, on the refresher thread (so refreshes never overlap and an older read never
     * replaces a newer one); completes when done, failed or not. The operator API calls it after each change, so the
     * node that answered has the change in effect once it answers (when its replica has applied it, as a leader's has).
     */
    public CompletableFuture<Void> refreshNow() {
        ScheduledExecutorService executor;
        synchronized (this) {
            executor = refresher;
        }
        if (executor == null) {
            return refresh().exceptionally(failure -> null);
        }
        try {
            return CompletableFuture.runAsync(this::refreshQuietly, executor);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Re-reads accounts and keys from the local replica and replaces the map; runs on the refresher thread. */
    CompletableFuture<Void> refresh() {
        return catalog.localAccounts().thenCombine(catalog.localKeys(), (accounts, keys) -> {
            Set<String> closed = new HashSet<>();
            accounts.stream().filter(account -> !account.open()).forEach(account -> closed.add(account.id()));
            Map<String, Live> next = new HashMap<>();
            Map<String, Opened> nextOpened = new HashMap<>();
            for (AccountKey key : keys) {
                if (key.state() != AccountKey.State.ACTIVE || closed.contains(key.accountId())) {
                    continue;
                }
                String secret = open(key);
                if (secret != null) {
                    nextOpened.put(key.accessKeyId(), new Opened(key.secret(), secret));
                    next.put(key.accessKeyId(), new Live(new SigningKey(key.accessKeyId(), secret, key.accountId()),
                            key.disableAtMillis(), key.policies()));
                }
            }
            opened = nextOpened;
            live = Map.copyOf(next);
            accountsRead.accept(accounts);
            return null;
        });
    }

    /** The key's secret, reusing the last opening while its sealed value is unchanged; null when it does not open. */
    private String open(AccountKey key) {
        Opened before = opened.get(key.accessKeyId());
        if (before != null && before.sealed().equals(key.secret())) {
            return before.secret();
        }
        if (seal.isEmpty()) {
            reportOnce(key.accessKeyId(), "access key " + key.accessKeyId() + " cannot be used: this node has no cluster key");
            return null;
        }
        try {
            return seal.get().open(key.accessKeyId(), key.secret());
        } catch (SecretSeal.WrongClusterKeyException e) {
            reportOnce(key.accessKeyId(), "access key " + key.accessKeyId() + " cannot be used: " + e.getMessage());
            return null;
        }
    }

    private void reportOnce(String accessKeyId, String message) {
        if (reported.add(accessKeyId)) {
            LOG.error(message);
        }
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
