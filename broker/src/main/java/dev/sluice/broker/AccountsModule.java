package dev.sluice.broker;

import dev.sluice.broker.accounts.AccountCatalog;
import dev.sluice.broker.accounts.AccountChanges;
import dev.sluice.broker.accounts.LiveKeyDirectory;
import dev.sluice.broker.accounts.SecretSeal;
import dev.sluice.broker.api.rest.AccountsResource;
import dev.sluice.broker.api.rest.RestResource;
import dev.sluice.broker.auth.KeyDirectory;
import dev.sluice.broker.auth.SigV4Verifier;
import dev.sluice.broker.config.PeerKey;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.ops.PeerSigner;
import dev.sluice.broker.quota.QuotaDirectory;
import dev.sluice.broker.quota.RequestRateLimiter;
import dev.sluice.raftstore.RaftStoreNode;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts and access keys (issue 16 A), wired: the operator API's changes, the live key directory the SigV4
 * verifier reads (config keys plus the catalog's), and the start-up check of the cluster key. Thread-safe.
 */
final class AccountsModule implements AutoCloseable {
    private final SluiceConfig.Auth auth;
    private final Optional<SluiceConfig.AccessKey> peerKey;
    private final LiveKeyDirectory directory;
    private final AccountChanges changes;
    private final InstantSource clock;
    private final RequestRateLimiter rateLimiter;
    private final QuotaDirectory quotas;

    private AccountsModule(SluiceConfig.Auth auth, Optional<SluiceConfig.AccessKey> peerKey, LiveKeyDirectory directory,
            AccountChanges changes, InstantSource clock, RequestRateLimiter rateLimiter, QuotaDirectory quotas) {
        this.rateLimiter = rateLimiter;
        this.quotas = quotas;
        this.auth = auth;
        this.peerKey = peerKey;
        this.directory = directory;
        this.changes = changes;
        this.clock = clock;
    }

    /**
     * Checks this node's catalog replica against its cluster key (IllegalStateException: no key, or another key, for
     * the stored secrets), then starts refreshing the directory.
     */
    static AccountsModule start(SluiceConfig config, RaftStoreNode node, InstantSource clock) {
        SecureRandom random = new SecureRandom();
        Optional<SecretSeal> seal = config.auth().clusterKey().map(key -> new SecretSeal(key, random));
        AccountCatalog catalog = new AccountCatalog(node.catalog(), config.raft().nodeId(), node.features()::effectiveLevel);
        Map<String, KeyDirectory.SigningKey> configKeys = new HashMap<>();
        // A config key belongs to the account its entry names (account=<12 digits>/...), by default the default one.
        Optional<SluiceConfig.AccessKey> peerKey = PeerKey.derive(config.auth());
        java.util.stream.Stream.concat(config.auth().accessKeys().stream(), peerKey.stream()).forEach(key -> configKeys.put(
                key.accessKeyId(), new KeyDirectory.SigningKey(key.accessKeyId(), key.secretAccessKey(), key.accountId())));
        RequestRateLimiter rateLimiter = new RequestRateLimiter(System::nanoTime);
        QuotaDirectory quotas = new QuotaDirectory();
        LiveKeyDirectory directory = new LiveKeyDirectory(configKeys, catalog, seal, clock, accounts -> {
            rateLimiter.accounts(accounts);
            quotas.accounts(accounts);
        });
        directory.checkAtStart();
        directory.start();
        return new AccountsModule(config.auth(), peerKey, directory, new AccountChanges(catalog, seal, random, clock,
                directory::refreshNow), clock, rateLimiter, quotas);
    }

    /**
     * True when a caller signing with {@code accessKeyId} (null: unsigned) may use the operator-only routes: anyone
     * while auth is off, else an admin config key or another node ({@link PeerKey}).
     */
    boolean isOperator(String accessKeyId) {
        return auth.isOperator(accessKeyId) || peerKey.map(key -> key.accessKeyId().equals(accessKeyId)).orElse(false);
    }

    /** How this node signs its calls to the other nodes' operator-only routes. */
    PeerSigner peerSigner(String region) {
        return PeerSigner.of(peerKey, region, clock);
    }

    /** The verifier of config and catalog keys, or null when auth is off (no config keys: loopback only). */
    SigV4Verifier verifier() {
        return auth.accessKeys().isEmpty() ? null : new SigV4Verifier(directory, clock);
    }

    /** The request-rate quotas of this node: the accounts' quotas as the key directory reads them. */
    RequestRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** Every account's quotas as this node's catalog replica holds them. */
    QuotaDirectory quotas() {
        return quotas;
    }

    RestResource restResource() {
        return new AccountsResource(changes);
    }

    /** The managed policies attached to a key (the policy part's {@code KeyPolicies}); empty for config keys. */
    LiveKeyDirectory directory() {
        return directory;
    }

    @Override
    public void close() {
        directory.close();
    }
}
