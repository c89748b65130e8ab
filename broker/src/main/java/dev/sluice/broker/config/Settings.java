package dev.sluice.broker.config;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of settings: the single list that flags, environment variables, config-file keys,
 * {@code --help} and the start-up log are all read from. Append here to make a value configurable.
 */
final class Settings {
    static final List<Setting> ALL = List.of(
            http("http.host", "--host", "SLUICE_HOST", "address the HTTP API binds to; not loopback requires access keys",
                    (http, text) -> http.withHost(text), SluiceConfig.Http::host),
            http("http.port", "--port", "SLUICE_PORT", "HTTP API port (0 picks a free one)",
                    (http, text) -> http.withPort(ConfigValues.wholeNumber(text)), http -> String.valueOf(http.port())),
            http("http.maxBodySize", "--max-body-size", "SLUICE_MAX_BODY_SIZE", "largest request body accepted",
                    (http, text) -> http.withMaxBodySize(ByteSize.parse(text)), http -> http.maxBodySize().toString()),
            http("http.publicUrl", "--public-url", "SLUICE_PUBLIC_URL",
                    "base URL clients use in queue URLs (empty: http://<host>:<port> of this node)",
                    (http, text) -> http.withPublicUrl(text.isEmpty() ? Optional.empty() : Optional.of(uri(text))),
                    http -> http.publicUrl().map(URI::toString).orElse("")),
            http("http.shutdownGrace", "--shutdown-grace", "SLUICE_SHUTDOWN_GRACE",
                    "time in-flight requests get to finish when stopping",
                    (http, text) -> http.withShutdownGrace(ConfigValues.duration(text)),
                    http -> ConfigValues.format(http.shutdownGrace())),
            http("http.requestTimeout", "--request-timeout", "SLUICE_REQUEST_TIMEOUT",
                    "longest an SQS/SNS/REST request waits for the cluster before a retryable 503 (plus a long poll's wait)",
                    (http, text) -> http.withRequestTimeout(ConfigValues.duration(text)),
                    http -> ConfigValues.format(http.requestTimeout())),
            raft("raft.nodeId", "--node-id", "SLUICE_NODE_ID", "this node's id; must be in --peers when peers are given",
                    (raft, text) -> raft.withNode(text, raft.host(), raft.raftPort()), RaftStoreConfig::nodeId),
            raft("raft.host", "--raft-host", "SLUICE_RAFT_HOST", "address the Raft port binds to",
                    (raft, text) -> raft.withNode(raft.nodeId(), text, raft.raftPort()), RaftStoreConfig::host),
            raft("raft.raftPort", "--raft-port", "SLUICE_RAFT_PORT", "Raft (gRPC) port; must match this node's peer entry",
                    (raft, text) -> raft.withNode(raft.nodeId(), raft.host(), ConfigValues.wholeNumber(text)),
                    raft -> String.valueOf(raft.raftPort())),
            raft("raft.dataDirectory", "--data-dir", "SLUICE_DATA_DIR", "Raft logs, snapshots and RocksDB; never under /tmp",
                    (raft, text) -> raft.withDataDirectory(Path.of(text)), raft -> raft.dataDirectory().toString()),
            raft("raft.peers", "--peers", "SLUICE_PEERS", "every member as id=host:raftPort,...; empty: single node",
                    (raft, text) -> raft.withPeers(Peer.parseList(text)),
                    raft -> raft.peers().stream().map(Peer::toString).collect(Collectors.joining(","))),
            raft("raft.dataGroups", "--data-groups", "SLUICE_DATA_GROUPS", "data Raft groups; fixed when the cluster is created",
                    (raft, text) -> raft.withDataGroups(ConfigValues.wholeNumber(text)), raft -> String.valueOf(raft.dataGroups())),
            raft("raft.snapshotThresholdEntries", "--snapshot-threshold", "SLUICE_SNAPSHOT_THRESHOLD",
                    "log entries after which a group snapshots and purges its log",
                    (raft, text) -> raft.withSnapshotThresholdEntries(ConfigValues.longNumber(text)),
                    raft -> String.valueOf(raft.snapshotThresholdEntries())),
            raft("raft.joinExistingCluster", "--join", "SLUICE_JOIN",
                    "true: this node's storage is empty and it joins a running cluster; it waits until added as a member",
                    (raft, text) -> raft.withJoinExistingCluster(ConfigValues.bool(text)),
                    raft -> String.valueOf(raft.joinExistingCluster())),
            raft("raft.allowTemporaryStorage", "--allow-temporary-storage", "SLUICE_ALLOW_TEMPORARY_STORAGE",
                    "true: accept a data directory under /tmp (throwaway experiments and tests only)",
                    (raft, text) -> raft.withAllowTemporaryStorage(ConfigValues.bool(text)),
                    raft -> String.valueOf(raft.allowTemporaryStorage())),
            raft("raft.maxWaitingCommands", "--max-waiting-commands", "SLUICE_MAX_WAITING_COMMANDS",
                    "writes a Raft group holds waiting for its next log entry; beyond it a request is throttled",
                    (raft, text) -> raft.withMaxWaitingCommands(ConfigValues.wholeNumber(text)),
                    raft -> String.valueOf(raft.maxWaitingCommands())),
            raft("raft.balanceLeaders", "--balance-leaders", "SLUICE_BALANCE_LEADERS",
                    "true: spread data group leaders evenly over the nodes (leadership transfers); false: leave them",
                    (raft, text) -> raft.withBalanceLeaders(ConfigValues.bool(text)),
                    raft -> String.valueOf(raft.balanceLeaders())),
            new Setting("notify.webhookAllowedNetworks", Optional.of("--webhook-allowed-networks"),
                    "SLUICE_WEBHOOK_ALLOWED_NETWORKS",
                    "CIDRs webhooks may reach although loopback/private/link-local (e.g. 127.0.0.1/32); empty: none",
                    (config, text) -> config.withNotifications(config.notifications()
                            .withWebhookAllowedNetworks(SluiceConfig.Notify.parseNetworks(text))),
                    config -> config.notifications().webhookAllowedNetworks().stream()
                            .map(block -> block.toText()).collect(Collectors.joining(","))),
            new Setting("notify.smtpServer", Optional.of("--smtp-server"), "SLUICE_SMTP_SERVER",
                    "SMTP relay host:port for email subscriptions (plain SMTP); empty: email subscriptions are refused",
                    (config, text) -> config.withNotifications(config.notifications()
                            .withSmtpServer(text.isEmpty() ? Optional.empty() : Optional.of(text))),
                    config -> config.notifications().smtpServer().orElse("")),
            new Setting("notify.smtpFrom", Optional.of("--smtp-from"), "SLUICE_SMTP_FROM",
                    "sender address of email notifications",
                    (config, text) -> config.withNotifications(config.notifications().withSmtpFrom(text)),
                    config -> config.notifications().smtpFrom()),
            new Setting("notify.maxConcurrentDeliveries", Optional.of("--max-concurrent-deliveries"),
                    "SLUICE_MAX_CONCURRENT_DELIVERIES",
                    "webhook, email and function deliveries in flight on this node at once, across all subscriptions",
                    (config, text) -> config.withNotifications(config.notifications()
                            .withMaxConcurrentDeliveries(ConfigValues.wholeNumber(text))),
                    config -> String.valueOf(config.notifications().maxConcurrentDeliveries())),
            new Setting("notify.queueDeliveryAttempts", Optional.of("--queue-delivery-attempts"),
                    "SLUICE_QUEUE_DELIVERY_ATTEMPTS",
                    "attempts to store a copy in an sqs subscription's queue before it goes to the subscription's"
                            + " dead-letter queue (1 to 100015; without a dead-letter queue it is retried on)",
                    (config, text) -> config.withNotifications(config.notifications()
                            .withQueueDeliveryAttempts(ConfigValues.wholeNumber(text))),
                    config -> String.valueOf(config.notifications().queueDeliveryAttempts())),
            new Setting("metrics.maxLabelledQueues", Optional.of("--metrics-max-labelled-queues"),
                    "SLUICE_METRICS_MAX_LABELLED_QUEUES",
                    "queues (and, separately, topics) with series of their own in /metrics on one node; the rest are summed under queue=\"__overflow__\" (topic=...)",
                    (config, text) -> config.withMetrics(new SluiceConfig.Metrics(ConfigValues.wholeNumber(text))),
                    config -> String.valueOf(config.metrics().maxLabelledQueues())),
            // Tests and simulations only (issue 16: exact byte-hours on a cluster): never on unless set.
            new Setting("simulation.clockFile", Optional.of("--simulation-clock-file"), "SLUICE_SIMULATION_CLOCK_FILE",
                    "TESTS AND SIMULATIONS ONLY: a file holding the time (epoch ms or ISO-8601) the service clock reads"
                            + " instead of the system clock; empty: the system clock",
                    (config, text) -> config.withSimulation(new SluiceConfig.Simulation(
                            text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text)))),
                    config -> config.simulation().clockFile().map(Path::toString).orElse("")),
            new Setting("auth.accessKeys", Optional.empty(), "SLUICE_ACCESS_KEYS",
                    "accepted keys as id:secret,...; admin=id:secret marks an operator key (/v1/admin); no flag, so secrets stay out of ps",
                    (config, text) -> config.withAuth(config.auth().withAccessKeys(SluiceConfig.AccessKey.parseList(text))),
                    config -> config.auth().accessKeys().stream().map(Object::toString).collect(Collectors.joining(","))),
            // Accounts and keys (issue 16 A): the key that seals catalog keys' secrets; shown only by its id.
            new Setting("auth.clusterKey", Optional.empty(), "SLUICE_CLUSTER_KEY",
                    "32 random bytes, base64 (openssl rand -base64 32), the same on every node: seals the secrets of keys"
                            + " created under /v1/admin/accounts; no flag, so it stays out of ps",
                    (config, text) -> config.withAuth(config.auth().withClusterKey(
                            text.isBlank() ? Optional.empty() : Optional.of(ClusterKey.parse(text)))),
                    config -> config.auth().clusterKey().map(ClusterKey::toString).orElse("")),
            // What reads /metrics while auth is on, besides an operator's signature: shown only as set or not.
            new Setting("auth.metricsToken", Optional.empty(), "SLUICE_METRICS_TOKEN",
                    "with auth on, the bearer token a Prometheus scrape of /metrics sends (at least 16 characters, e.g."
                            + " openssl rand -hex 24); without it only an operator's signature reads /metrics; no flag",
                    (config, text) -> config.withAuth(config.auth().withMetricsToken(
                            text.isBlank() ? Optional.empty() : Optional.of(text.trim()))),
                    config -> config.auth().metricsToken().map(token -> "(set)").orElse("")));

    private Settings() {
    }

    static Optional<Setting> byKey(String key) {
        return ALL.stream().filter(setting -> setting.key().equals(key)).findFirst();
    }

    static Optional<Setting> byFlag(String flag) {
        return ALL.stream().filter(setting -> setting.flag().filter(flag::equals).isPresent()).findFirst();
    }

    static Optional<Setting> byEnvironmentVariable(String name) {
        return ALL.stream().filter(setting -> setting.environmentVariable().equals(name)).findFirst();
    }

    private static Setting http(String key, String flag, String variable, String meaning,
            BiFunction<SluiceConfig.Http, String, SluiceConfig.Http> apply, Function<SluiceConfig.Http, String> show) {
        return new Setting(key, Optional.of(flag), variable, meaning,
                (config, text) -> config.withHttp(apply.apply(config.http(), text)), config -> show.apply(config.http()));
    }

    private static Setting raft(String key, String flag, String variable, String meaning,
            BiFunction<RaftStoreConfig, String, RaftStoreConfig> apply, Function<RaftStoreConfig, String> show) {
        return new Setting(key, Optional.of(flag), variable, meaning,
                (config, text) -> config.withRaft(apply.apply(config.raft(), text)), config -> show.apply(config.raft()));
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + text + "'");
        }
    }
}
