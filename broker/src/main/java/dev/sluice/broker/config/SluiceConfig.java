package dev.sluice.broker.config;

import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything one Sluice server needs to start. Built by {@link ConfigLoader} from defaults, a config
 * file, {@code SLUICE_*} environment variables and flags; immutable.
 *
 * @param http the HTTP API: where it listens and what it accepts
 * @param raft the replicated store: node identity, Raft port, data directory, peers and groups
 * @param auth who may call the API
 * @param notifications the notification service (topics and webhook delivery)
 * @param metrics what {@code /metrics} exports
 * @param simulation facilities for tests and simulations only, all off by default
 */
public record SluiceConfig(Http http, RaftStoreConfig raft, Auth auth, Notify notifications, Metrics metrics,
        Simulation simulation) {
    // Limits (message size, batch entries, long-poll maximum, ...) join here as a `limits` record with the queue engine.

    public SluiceConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(simulation, "simulation");
    }

    /**
     * For tests and simulations only; never set in production.
     *
     * @param clockFile a file holding the time (epoch milliseconds, or an ISO-8601 instant) this node's service clock
     *     reads instead of the system clock: the time the leader stamps into log entries (so queue time: visibility,
     *     delays, retention, billing hours) and the time the edge compares with it. Re-read at most every 50 ms, never
     *     per entry; a missing or unreadable file stops the start. Request signatures, key expiry, long polls' waits and
     *     Raft's timers keep the real clock. Empty (the default): the system clock
     */
    public record Simulation(Optional<java.nio.file.Path> clockFile) {
        public Simulation {
            Objects.requireNonNull(clockFile, "clockFile");
        }

        public static Simulation defaults() {
            return new Simulation(Optional.empty());
        }
    }

    /**
     * @param maxLabelledQueues queue names, and as many topic names, with series of their own in {@code /metrics} on one
     *     node (bounds the series count); the meters of those beyond it are summed under {@code queue="__overflow__"}
     *     ({@code topic="__overflow__"})
     */
    public record Metrics(int maxLabelledQueues) {
        public static Metrics defaults() {
            return new Metrics(1_000);
        }
    }

    /**
     * @param webhookAllowedNetworks networks webhook deliveries may reach even though they are loopback,
     *     private, link-local or metadata addresses (refused otherwise, against SSRF); empty: none
     * @param smtpServer the SMTP relay ({@code host:port}) email subscriptions are sent through; empty:
     *     email subscriptions are refused
     * @param smtpFrom the sender address of those emails
     * @param functionRetryDelays waits before each retry of a failed lambda / function subscription
     *     invocation (default 1 min, 2 min: Lambda's asynchronous retries); programmatic only (tests shorten it)
     * @param maxConcurrentDeliveries webhook, email and function deliveries in flight on this node at once,
     *     across all subscriptions (default 256)
     * @param queueDeliveryAttempts attempts to put a copy in an sqs subscription's queue before it goes to the
     *     subscription's dead-letter queue (default SNS's 100,015; 1 to 100,015)
     * @param maxWorkers topic fanout pollers and subscription delivery workers this node runs at most (default
     *     {@link dev.sluice.notify.service.NotifyConfig#DEFAULT_MAX_WORKERS}); 0: none, the other nodes' workers do
     *     the work; programmatic only
     */
    public record Notify(List<CidrBlock> webhookAllowedNetworks, Optional<String> smtpServer, String smtpFrom,
            List<Duration> functionRetryDelays, int maxConcurrentDeliveries, int queueDeliveryAttempts,
            int maxWorkers) {
        public static final int DEFAULT_MAX_CONCURRENT_DELIVERIES = 256;

        public Notify {
            webhookAllowedNetworks = List.copyOf(webhookAllowedNetworks);
            Objects.requireNonNull(smtpServer, "smtpServer");
            functionRetryDelays = List.copyOf(functionRetryDelays);
            if (maxConcurrentDeliveries < 1) {
                throw new IllegalArgumentException("notify.maxConcurrentDeliveries must be at least 1; got "
                        + maxConcurrentDeliveries);
            }
            int mostAttempts = dev.sluice.notify.service.NotifyConfig.SQS_DELIVERY_ATTEMPTS;
            if (queueDeliveryAttempts < 1 || queueDeliveryAttempts > mostAttempts) {
                throw new IllegalArgumentException("notify.queueDeliveryAttempts must be 1 to " + mostAttempts
                        + " (SNS's policy for sqs endpoints); got " + queueDeliveryAttempts);
            }
            if (maxWorkers < 0) {
                throw new IllegalArgumentException("notify.maxWorkers must not be negative; got " + maxWorkers);
            }
        }

        public Notify(List<CidrBlock> webhookAllowedNetworks, Optional<String> smtpServer, String smtpFrom) {
            this(webhookAllowedNetworks, smtpServer, smtpFrom, dev.sluice.notify.service.NotifyConfig.LAMBDA_RETRY_DELAYS,
                    DEFAULT_MAX_CONCURRENT_DELIVERIES, dev.sluice.notify.service.NotifyConfig.SQS_DELIVERY_ATTEMPTS,
                    dev.sluice.notify.service.NotifyConfig.DEFAULT_MAX_WORKERS);
        }

        public Notify(List<CidrBlock> webhookAllowedNetworks) {
            this(webhookAllowedNetworks, Optional.empty(), "sluice@localhost");
        }

        public Notify withFunctionRetryDelays(List<Duration> delays) {
            return new Notify(webhookAllowedNetworks, smtpServer, smtpFrom, delays, maxConcurrentDeliveries,
                    queueDeliveryAttempts, maxWorkers);
        }

        public Notify withQueueDeliveryAttempts(int attempts) {
            return new Notify(webhookAllowedNetworks, smtpServer, smtpFrom, functionRetryDelays, maxConcurrentDeliveries,
                    attempts, maxWorkers);
        }

        public Notify withMaxWorkers(int workers) {
            return new Notify(webhookAllowedNetworks, smtpServer, smtpFrom, functionRetryDelays, maxConcurrentDeliveries,
                    queueDeliveryAttempts, workers);
        }

        public Notify withMaxConcurrentDeliveries(int deliveries) {
            return new Notify(webhookAllowedNetworks, smtpServer, smtpFrom, functionRetryDelays, deliveries,
                    queueDeliveryAttempts, maxWorkers);
        }

        public static Notify defaults() {
            return new Notify(List.of());
        }

        public Notify withSmtpServer(Optional<String> server) {
            return new Notify(webhookAllowedNetworks, server, smtpFrom, functionRetryDelays, maxConcurrentDeliveries,
                    queueDeliveryAttempts, maxWorkers);
        }

        public Notify withSmtpFrom(String from) {
            return new Notify(webhookAllowedNetworks, smtpServer, from, functionRetryDelays, maxConcurrentDeliveries,
                    queueDeliveryAttempts, maxWorkers);
        }

        public Notify withWebhookAllowedNetworks(List<CidrBlock> networks) {
            return new Notify(networks, smtpServer, smtpFrom, functionRetryDelays, maxConcurrentDeliveries,
                    queueDeliveryAttempts, maxWorkers);
        }

        /** Parses {@code 127.0.0.1/32,10.1.0.0/16}; throws IllegalArgumentException naming the bad entry. */
        public static List<CidrBlock> parseNetworks(String text) {
            List<CidrBlock> networks = new ArrayList<>();
            for (String entry : text.split(",")) {
                if (!entry.isBlank()) {
                    networks.add(CidrBlock.parse(entry.trim()));
                }
            }
            return networks;
        }
    }

    /**
     * @param host address the HTTP API binds to; anything but loopback requires access keys
     * @param port HTTP API port; 0 picks a free one (tests)
     * @param maxBodySize largest request body accepted; SQS allows 1 MiB batches, and URL or JSON
     *     escaping can make their encoding several times larger
     * @param publicUrl base URL clients reach this node at, used in queue URLs; empty means derive it
     *     from the request's Host header
     * @param shutdownGrace how long a stopping server lets in-flight requests finish before closing them
     * @param requestTimeout the longest an SQS, SNS or REST request waits for the cluster (a leader, a majority, the
     *     catalog) before it is answered ServiceUnavailable (503), which the AWS SDKs retry; a long poll's own wait
     *     (WaitTimeSeconds) comes on top. 10 s: well under the SDKs' 30 s socket timeouts, well over a failover.
     */
    public record Http(String host, int port, ByteSize maxBodySize, Optional<URI> publicUrl, Duration shutdownGrace,
            Duration requestTimeout) {
        public Http {
            Objects.requireNonNull(publicUrl, "publicUrl");
        }

        public static Http defaults() {
            return new Http("127.0.0.1", 9324, ByteSize.ofMebibytes(4), Optional.empty(), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
        }

        public Http withHost(String newHost) {
            return new Http(newHost, port, maxBodySize, publicUrl, shutdownGrace, requestTimeout);
        }

        public Http withPort(int newPort) {
            return new Http(host, newPort, maxBodySize, publicUrl, shutdownGrace, requestTimeout);
        }

        public Http withMaxBodySize(ByteSize newMaxBodySize) {
            return new Http(host, port, newMaxBodySize, publicUrl, shutdownGrace, requestTimeout);
        }

        public Http withPublicUrl(Optional<URI> newPublicUrl) {
            return new Http(host, port, maxBodySize, newPublicUrl, shutdownGrace, requestTimeout);
        }

        public Http withShutdownGrace(Duration newShutdownGrace) {
            return new Http(host, port, maxBodySize, publicUrl, newShutdownGrace, requestTimeout);
        }

        public Http withRequestTimeout(Duration newRequestTimeout) {
            return new Http(host, port, maxBodySize, publicUrl, shutdownGrace, newRequestTimeout);
        }
    }

    /**
     * Request signing keys. With keys, every API request must carry an AWS Signature V4 made with one of them
     * (see {@code api.http.AuthenticationHandler} for what is exempt); without keys auth is off, which is
     * allowed only while the API is bound to loopback (the server refuses to start otherwise).
     *
     * @param accessKeys the accepted key pairs; empty means auth is off
     * @param clusterKey seals the secrets of the access keys operators create ({@code /v1/admin/accounts}); without
     *     it such keys cannot be created, and a node whose catalog holds some refuses to start
     * @param metricsToken with auth on, the bearer token that reads {@code /metrics} besides an operator's signature
     *     (what a Prometheus scrape can send); empty: only an operator's signature does
     */
    public record Auth(List<AccessKey> accessKeys, Optional<ClusterKey> clusterKey, Optional<String> metricsToken) {
        /** Printable ASCII without spaces (what an HTTP bearer token may hold), at least this long. */
        public static final int MIN_METRICS_TOKEN_LENGTH = 16;

        public Auth {
            accessKeys = List.copyOf(accessKeys);
            Objects.requireNonNull(clusterKey, "clusterKey");
            Objects.requireNonNull(metricsToken, "metricsToken");
        }

        public Auth(List<AccessKey> accessKeys, Optional<ClusterKey> clusterKey) {
            this(accessKeys, clusterKey, Optional.empty());
        }

        /** Config keys only, no cluster key. */
        public Auth(List<AccessKey> accessKeys) {
            this(accessKeys, Optional.empty());
        }

        public static Auth defaults() {
            return new Auth(List.of());
        }

        public Auth withAccessKeys(List<AccessKey> newAccessKeys) {
            return new Auth(newAccessKeys, clusterKey, metricsToken);
        }

        public Auth withClusterKey(Optional<ClusterKey> newClusterKey) {
            return new Auth(accessKeys, newClusterKey, metricsToken);
        }

        public Auth withMetricsToken(Optional<String> newMetricsToken) {
            return new Auth(accessKeys, clusterKey, newMetricsToken);
        }

        /**
         * True when a caller signing with {@code accessKeyId} (null: unsigned) may use the operator-only routes
         * ({@code /v1/admin/...}): anyone while auth is off, which only a loopback bind allows; otherwise only
         * an admin key.
         */
        public boolean isOperator(String accessKeyId) {
            return accessKeys.isEmpty()
                    || accessKeys.stream().anyMatch(key -> key.admin() && key.accessKeyId().equals(accessKeyId));
        }
    }

    /**
     * An AWS-style key pair; {@link #toString()} hides the secret so configs can be logged.
     *
     * @param admin true for an operator's key, which may also use the {@code /v1/admin/...} routes
     * @param accountId the 12-digit account the key belongs to and whose resources it owns ({@link #DEFAULT_ACCOUNT}
     *     unless the entry names one; admin keys are always the default account's)
     */
    public record AccessKey(String accessKeyId, String secretAccessKey, boolean admin, String accountId) {
        private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{4,128}");
        private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
        /** The account of every key that names none, as every key was before accounts existed. */
        public static final String DEFAULT_ACCOUNT = dev.sluice.broker.auth.SigV4Verifier.DEFAULT_ACCOUNT;
        /** Marks an admin key in the text form; '=' cannot occur in a key id, so no older entry reads as one. */
        private static final String ADMIN_PREFIX = "admin=";
        /** Names the key's account in the text form, before any {@code admin=}: {@code account=<12 digits>/}. */
        private static final String ACCOUNT_PREFIX = "account=";

        public AccessKey {
            if (accessKeyId == null || !ID.matcher(accessKeyId).matches()) {
                throw new IllegalArgumentException("access key id must be 4-128 letters or digits");
            }
            if (secretAccessKey == null || secretAccessKey.length() < 8) {
                throw new IllegalArgumentException("secret of access key " + accessKeyId + " must have at least 8 characters");
            }
            if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
                throw new IllegalArgumentException("account of access key " + accessKeyId + " must be 12 digits");
            }
            if (admin && !accountId.equals(DEFAULT_ACCOUNT)) {
                throw new IllegalArgumentException("admin key " + accessKeyId + " must belong to the default account "
                        + DEFAULT_ACCOUNT);
            }
        }

        /** A key of the default account. */
        public AccessKey(String accessKeyId, String secretAccessKey, boolean admin) {
            this(accessKeyId, secretAccessKey, admin, DEFAULT_ACCOUNT);
        }

        /** A tenant's key of the default account: it signs API requests, not the operator-only routes. */
        public AccessKey(String accessKeyId, String secretAccessKey) {
            this(accessKeyId, secretAccessKey, false);
        }

        /**
         * Parses {@code id:secret,admin=id:secret,account=111111111111/id:secret,...} ({@code admin=} marks an
         * operator's key, {@code account=<12 digits>/} the account of a tenant's key); throws
         * IllegalArgumentException naming the bad entry (never its secret).
         */
        public static List<AccessKey> parseList(String text) {
            List<AccessKey> keys = new ArrayList<>();
            if (text.isBlank()) {
                return keys;
            }
            String[] entries = text.split(",");
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].trim();
                String account = DEFAULT_ACCOUNT;
                if (entry.startsWith(ACCOUNT_PREFIX)) {
                    int slash = entry.indexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException("access key " + (i + 1)
                                + " must be account=<12 digits>/accessKeyId:secretAccessKey");
                    }
                    account = entry.substring(ACCOUNT_PREFIX.length(), slash);
                    entry = entry.substring(slash + 1);
                }
                boolean admin = entry.startsWith(ADMIN_PREFIX);
                String pair = admin ? entry.substring(ADMIN_PREFIX.length()) : entry;
                int colon = pair.indexOf(':');
                int equals = pair.indexOf('=');
                if (colon <= 0 || (equals >= 0 && equals < colon)) {
                    throw new IllegalArgumentException("access key " + (i + 1)
                            + " must be accessKeyId:secretAccessKey or admin=accessKeyId:secretAccessKey"
                            + " (a tenant's key may start with account=<12 digits>/)");
                }
                keys.add(new AccessKey(pair.substring(0, colon), pair.substring(colon + 1), admin, account));
            }
            return keys;
        }

        @Override
        public String toString() {
            return (accountId.equals(DEFAULT_ACCOUNT) ? "" : ACCOUNT_PREFIX + accountId + "/")
                    + (admin ? ADMIN_PREFIX : "") + accessKeyId + ":****";
        }
    }

    /**
     * A single loopback node with its data in {@code ./data}: what a laptop needs and nothing more. Data groups get
     * three replicas (one on a single node); any node serves every queue, from its own replica or through the
     * group's members.
     */
    public static SluiceConfig defaults() {
        return new SluiceConfig(Http.defaults(), RaftStoreConfig.defaults(), Auth.defaults(), Notify.defaults(),
                Metrics.defaults(), Simulation.defaults());
    }

    /** Every problem at once; empty when the server can start with this config. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        validateHttp(problems);
        notifications.smtpServer().ifPresent(server -> {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || !server.substring(colon + 1).matches("\\d{1,5}")) {
                problems.add("notify.smtpServer must be host:port: " + server);
            }
        });
        if (!notifications.smtpFrom().matches("[^@\\s<>]+@[^@\\s<>]+")) {
            problems.add("notify.smtpFrom must be an email address: " + notifications.smtpFrom());
        }
        raft.validate().forEach(problem -> problems.add("raft: " + problem));
        if (metrics.maxLabelledQueues() < 0) {
            problems.add("metrics.maxLabelledQueues must be 0 or more: " + metrics.maxLabelledQueues());
        }
        java.util.Set<String> keyIds = new java.util.HashSet<>();
        auth.accessKeys().stream().map(AccessKey::accessKeyId).filter(id -> !keyIds.add(id)).distinct().forEach(id ->
                problems.add("auth.accessKeys lists access key " + id + " more than once; list each key once"));
        auth.metricsToken().filter(token -> token.length() < Auth.MIN_METRICS_TOKEN_LENGTH || !token.matches("[!-~]+"))
                .ifPresent(token -> problems.add("auth.metricsToken must be at least " + Auth.MIN_METRICS_TOKEN_LENGTH
                        + " printable ASCII characters without spaces (e.g. openssl rand -hex 24)"));
        if (!isLoopback(http.host()) && auth.accessKeys().isEmpty()) {
            problems.add("http.host " + http.host() + " is not loopback: auth is off only on loopback, so configure"
                    + " access keys (SLUICE_ACCESS_KEYS or auth.accessKeys) or bind to 127.0.0.1");
        }
        return problems;
    }

    private void validateHttp(List<String> problems) {
        if (http.host() == null || http.host().isBlank()) {
            problems.add("http.host is required");
        }
        if (http.port() < 0 || http.port() > 65535) {
            problems.add("http.port out of range 0-65535: " + http.port());
        }
        if (http.port() != 0 && http.port() == raft.raftPort()) {
            problems.add("http.port and raft.raftPort are both " + http.port() + "; give them different ports");
        }
        if (http.maxBodySize().bytes() < 64 * 1024 || http.maxBodySize().bytes() > 64L * 1024 * 1024) {
            problems.add("http.maxBodySize must be 64KiB-64MiB: " + http.maxBodySize());
        }
        http.publicUrl().ifPresent(url -> {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                problems.add("http.publicUrl must be an absolute http(s) URL: " + url);
            }
        });
        if (http.shutdownGrace().isNegative() || http.shutdownGrace().compareTo(Duration.ofMinutes(5)) > 0) {
            problems.add("http.shutdownGrace must be 0-5 min: " + http.shutdownGrace());
        }
        if (http.requestTimeout().compareTo(Duration.ofMillis(100)) < 0 || http.requestTimeout().compareTo(Duration.ofMinutes(5)) > 0) {
            problems.add("http.requestTimeout must be 100ms-5 min: " + http.requestTimeout());
        }
        if (raft.raftPort() == 0) {
            // raft-store accepts 0, but its clients and peers would then dial port 0.
            problems.add("raft.raftPort must be a real port: peers and clients dial it");
        }
        for (Peer peer : raft.peers()) {
            if (peer.id().equals(raft.nodeId()) && peer.port() != raft.raftPort()) {
                problems.add("peer " + peer + " is this node, but raft.raftPort is " + raft.raftPort()
                        + "; give both the same port");
            }
        }
    }

    /** Literal loopback only: no DNS lookup, so a name that merely resolves to 127.0.0.1 still counts as exposed. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return "localhost".equalsIgnoreCase(bare) || bare.matches("127(\\.\\d{1,3}){3}") || "::1".equals(bare)
                || "0:0:0:0:0:0:0:1".equals(bare);
    }

    public SluiceConfig withHttp(Http newHttp) {
        return new SluiceConfig(newHttp, raft, auth, notifications, metrics, simulation);
    }

    public SluiceConfig withRaft(RaftStoreConfig newRaft) {
        return new SluiceConfig(http, newRaft, auth, notifications, metrics, simulation);
    }

    public SluiceConfig withAuth(Auth newAuth) {
        return new SluiceConfig(http, raft, newAuth, notifications, metrics, simulation);
    }

    public SluiceConfig withNotifications(Notify newNotify) {
        return new SluiceConfig(http, raft, auth, newNotify, metrics, simulation);
    }

    public SluiceConfig withMetrics(Metrics newMetrics) {
        return new SluiceConfig(http, raft, auth, notifications, newMetrics, simulation);
    }

    public SluiceConfig withSimulation(Simulation newSimulation) {
        return new SluiceConfig(http, raft, auth, notifications, metrics, newSimulation);
    }
}
