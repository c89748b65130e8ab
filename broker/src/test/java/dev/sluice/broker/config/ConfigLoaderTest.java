package dev.sluice.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.Peer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigLoaderTest {
    @TempDir
    Path directory;

    @Test
    void withNoSourcesTheDefaultsApplyAndAreValid() {
        LoadResult result = loadInCheckout(List.of(), Map.of());

        assertTrue(result.ok(), result.problems().toString());
        SluiceConfig defaults = SluiceConfig.defaults();
        assertEquals(defaults.withRaft(defaults.raft().withAllowTemporaryStorage(true)), result.config());
        assertEquals("127.0.0.1", result.config().http().host());
        assertEquals(9324, result.config().http().port());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws IOException {
        Path file = write("sluice.yaml", """
                http:
                  port: 1111
                  shutdownGrace: 3s
                raft:
                  nodeId: from-file
                  dataGroups: 3
                """);
        Map<String, String> environment = Map.of("SLUICE_PORT", "2222", "SLUICE_NODE_ID", "from-env", "PATH", "/usr/bin");

        LoadResult result = loadInCheckout(List.of("--config", file.toString(), "--port", "3333"), environment);

        assertTrue(result.ok(), result.problems().toString());
        SluiceConfig config = result.config();
        assertEquals(3333, config.http().port());
        assertEquals("from-env", config.raft().nodeId());
        assertEquals(3, config.raft().dataGroups());
        assertEquals(Duration.ofSeconds(3), config.http().shutdownGrace());
        assertEquals(9325, config.raft().raftPort());
        assertEquals("--port", result.origins().get("http.port"));
        assertEquals("SLUICE_NODE_ID", result.origins().get("raft.nodeId"));
        assertEquals("config file " + file + " (raft.dataGroups)", result.origins().get("raft.dataGroups"));
        assertFalse(result.origins().containsKey("raft.raftPort"));
    }

    @Test
    void theConfigFileCanComeFromTheEnvironmentAndBeJson() throws IOException {
        Path file = write("sluice.json", """
                {"http": {"maxBodySize": "2MiB", "publicUrl": "https://sqs.example.com"},
                 "raft": {"peers": ["n1=a.example:9325", "n2=b.example:9325", "n3=c.example:9325"]}}
                """);

        LoadResult result = loadInCheckout(List.of(), Map.of("SLUICE_CONFIG", file.toString()));

        assertTrue(result.ok(), result.problems().toString());
        assertEquals(ByteSize.ofMebibytes(2), result.config().http().maxBodySize());
        assertEquals(Optional.of(URI.create("https://sqs.example.com")), result.config().http().publicUrl());
        assertEquals(List.of(new Peer("n1", "a.example", 9325), new Peer("n2", "b.example", 9325),
                new Peer("n3", "c.example", 9325)), result.config().raft().peers());
    }

    @Test
    void notifyFlagsSetWebhookNetworksAndTheSmtpRelayAndBadValuesAreReported() {
        LoadResult result = loadInCheckout(List.of("--webhook-allowed-networks", "127.0.0.1/32,10.1.0.0/16",
                "--smtp-server", "mail.example:25", "--smtp-from", "sns@example.com"),
                Map.of("SLUICE_MAX_CONCURRENT_DELIVERIES", "32"));

        assertTrue(result.ok(), result.problems().toString());
        assertEquals(List.of("127.0.0.1/32", "10.1.0.0/16"), result.config().notifications().webhookAllowedNetworks()
                .stream().map(block -> block.toText()).toList());
        assertEquals(java.util.Optional.of("mail.example:25"), result.config().notifications().smtpServer());
        assertEquals("sns@example.com", result.config().notifications().smtpFrom());
        assertEquals(32, result.config().notifications().maxConcurrentDeliveries());

        LoadResult bad = loadInCheckout(List.of("--webhook-allowed-networks", "10.0.0.0/40", "--smtp-server", "nohost",
                "--smtp-from", "nobody", "--max-concurrent-deliveries", "0"), Map.of());
        assertEquals(4, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void queueDeliveryAttemptsAreSetByFileEnvironmentOrFlagDefaultToSnssAndOutOfRangeValuesAreNamedProblems()
            throws IOException {
        assertEquals(100_015, loadInCheckout(List.of(), Map.of()).config().notifications().queueDeliveryAttempts());
        Path file = write("attempts.yaml", """
                notify:
                  queueDeliveryAttempts: 4
                """);
        LoadResult fromFile = loadInCheckout(List.of("--config", file.toString()), Map.of());
        assertTrue(fromFile.ok(), fromFile.problems().toString());
        assertEquals(4, fromFile.config().notifications().queueDeliveryAttempts());
        assertEquals(6, loadInCheckout(List.of(), Map.of("SLUICE_QUEUE_DELIVERY_ATTEMPTS", "6")).config()
                .notifications().queueDeliveryAttempts());
        assertEquals(3, loadInCheckout(List.of("--queue-delivery-attempts", "3"), Map.of()).config()
                .notifications().queueDeliveryAttempts());

        for (String bad : List.of("0", "100016", "many")) {
            LoadResult refused = loadInCheckout(List.of("--queue-delivery-attempts", bad), Map.of());
            assertEquals(1, refused.problems().size(), refused.problems().toString());
            assertTrue(refused.problems().get(0).startsWith("--queue-delivery-attempts: "), refused.problems().toString());
        }
        assertContains(loadInCheckout(List.of(), Map.of("SLUICE_QUEUE_DELIVERY_ATTEMPTS", "0")).problems(),
                "notify.queueDeliveryAttempts must be 1 to 100015");
    }

    @Test
    void notifyWorkersPerNodeDefaultToNotifysCapAndANegativeCapIsRefused() {
        SluiceConfig.Notify notify = SluiceConfig.Notify.defaults();
        assertEquals(dev.sluice.notify.service.NotifyConfig.DEFAULT_MAX_WORKERS, notify.maxWorkers());
        assertEquals(0, notify.withMaxWorkers(0).maxWorkers());
        assertEquals(256, notify.withMaxWorkers(8).maxConcurrentDeliveries());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> notify.withMaxWorkers(-1));
        assertTrue(refused.getMessage().startsWith("notify.maxWorkers must not be negative"), refused.getMessage());
    }

    @Test
    void theLabelledQueueLimitOfMetricsIsSetByFlagOrEnvironmentDefaultsToAThousandAndANegativeOneIsAProblem() {
        assertEquals(1_000, loadInCheckout(List.of(), Map.of()).config().metrics().maxLabelledQueues());
        assertEquals(5, loadInCheckout(List.of("--metrics-max-labelled-queues", "5"), Map.of()).config().metrics()
                .maxLabelledQueues());
        assertEquals(7, loadInCheckout(List.of(), Map.of("SLUICE_METRICS_MAX_LABELLED_QUEUES", "7")).config().metrics()
                .maxLabelledQueues());
        LoadResult bad = loadInCheckout(List.of("--metrics-max-labelled-queues", "-1"), Map.of());
        assertEquals(1, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void theProposalQueueBoundAndLeaderBalancingAreSetByFlagOrEnvironmentAndAZeroBoundIsAProblem() {
        LoadResult result = loadInCheckout(List.of("--max-waiting-commands", "500"), Map.of("SLUICE_BALANCE_LEADERS", "false"));
        assertTrue(result.ok(), result.problems().toString());
        assertEquals(500, result.config().raft().maxWaitingCommands());
        assertFalse(result.config().raft().balanceLeaders());
        assertEquals(10_000, SluiceConfig.defaults().raft().maxWaitingCommands());
        assertTrue(SluiceConfig.defaults().raft().balanceLeaders());
        assertContains(loadInCheckout(List.of("--max-waiting-commands", "0"), Map.of()).problems(), "max waiting commands");
    }

    @Test
    void theSimulationClockFileIsOffByDefaultAndSetOnlyByItsFlagVariableOrKey() throws IOException {
        assertEquals(Optional.empty(), loadInCheckout(List.of(), Map.of()).config().simulation().clockFile());
        Path clock = directory.resolve("clock");
        assertEquals(Optional.of(clock), loadInCheckout(List.of("--simulation-clock-file", clock.toString()), Map.of())
                .config().simulation().clockFile());
        assertEquals(Optional.of(clock), loadInCheckout(List.of(), Map.of("SLUICE_SIMULATION_CLOCK_FILE", clock.toString()))
                .config().simulation().clockFile());
        Path file = write("sluice.yaml", "simulation:\n  clockFile: " + clock + "\n");
        LoadResult fromFile = load("--config", file.toString());
        assertEquals(Optional.of(clock), fromFile.config().simulation().clockFile());
        assertTrue(fromFile.describe().contains("simulation.clockFile"), fromFile.describe());
        assertTrue(ConfigLoader.usage().contains("TESTS AND SIMULATIONS ONLY"));
    }

    @Test
    void flagsAcceptTheEqualsForm() {
        LoadResult result = loadInCheckout(List.of("--port=9400", "--shutdown-grace=1500ms", "--data-dir=/srv/sluice"), Map.of());

        assertTrue(result.ok(), result.problems().toString());
        assertEquals(9400, result.config().http().port());
        assertEquals(Duration.ofMillis(1500), result.config().http().shutdownGrace());
        assertEquals(Path.of("/srv/sluice"), result.config().raft().dataDirectory());
    }

    @Test
    void joiningAndTemporaryStorageAreExplicitBooleans() {
        LoadResult result = ConfigLoader.load(List.of("--join", "true", "--allow-temporary-storage", "true",
                "--data-dir", "/tmp/scratch"), Map.of());
        assertTrue(result.ok(), result.problems().toString());
        assertTrue(result.config().raft().joinExistingCluster());
        assertTrue(result.config().raft().allowTemporaryStorage());

        // A cluster member under /tmp is refused (a single node only gets a warning at start).
        LoadResult refused = ConfigLoader.load(List.of("--join", "maybe", "--data-dir", "/tmp/scratch",
                "--peers", "n1=127.0.0.1:7001,n2=127.0.0.1:7002,n3=127.0.0.1:7003"), Map.of());
        assertFalse(refused.ok());
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.contains("not true or false")), refused.problems().toString());
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.contains("temporary")), refused.problems().toString());
    }

    @Test
    void everyProblemInEverySourceIsReportedAtOnce() throws IOException {
        Path file = write("sluice.yml", """
                http:
                  prot: 9324
                limits:
                  maxMessageSize: 1KiB
                raft:
                  dataGroups: many
                """);
        Map<String, String> environment = Map.of("SLUICE_RAFT_PORT", "99999x", "SLUICE_COLOUR", "blue");

        LoadResult result = loadInCheckout(List.of("--config", file.toString(), "--port", "abc", "--peers", "n1=localhost",
                "--frobnicate", "1", "stray", "--data-groups"), environment);

        List<String> problems = result.problems();
        assertContains(problems, "unknown flag --frobnicate");
        assertContains(problems, "unexpected argument 'stray'");
        assertContains(problems, "--data-groups: needs a value");
        assertContains(problems, "--port: not a whole number: 'abc'");
        assertContains(problems, "--peers: peer must be id=host:port: 'n1=localhost'");
        assertContains(problems, "unknown key http.prot");
        assertContains(problems, "unknown key limits.maxMessageSize");
        assertContains(problems, "(raft.dataGroups): not a whole number: 'many'");
        assertContains(problems, "SLUICE_RAFT_PORT: not a whole number: '99999x'");
        assertContains(problems, "unknown environment variable SLUICE_COLOUR");
        assertEquals(10, problems.size(), problems.toString());
    }

    @Test
    void validationReportsEveryProblemOfTheParsedValues() {
        LoadResult result = loadInCheckout(List.of("--port", "70000", "--raft-port", "0", "--data-groups", "0",
                "--max-body-size", "1KiB", "--public-url", "ftp://x", "--node-id", "bad id!"), Map.of());

        List<String> problems = result.problems();
        assertContains(problems, "http.port out of range 0-65535: 70000");
        assertContains(problems, "http.maxBodySize must be 64KiB-64MiB: 1KiB");
        assertContains(problems, "http.publicUrl must be an absolute http(s) URL: ftp://x");
        assertContains(problems, "raft: node id must be");
        assertContains(problems, "raft: data groups must be 1-256: 0");
        assertContains(problems, "raft.raftPort must be a real port");
        assertEquals(6, problems.size(), problems.toString());
    }

    @Test
    void peersThatCannotFormAClusterAreRefused() {
        assertContains(load("--peers", "n1=h:9325,n2=h:abc").problems(), "--peers: peer port is not a number: 'n2=h:abc'");
        assertContains(load("--peers", "=h:9325").problems(), "--peers: peer must be id=host:port: '=h:9325'");
        assertContains(load("--peers", "n1=h:70000").problems(), "--peers: peer n1 has port out of range: 70000");
        assertContains(load("--peers", "n1=h:9325,n1=g:9325,n3=h:9327").problems(), "raft: duplicate peer id n1");
        assertContains(load("--peers", "n1=h:9325,n2=h:9326").problems(), "raft: use an odd number of peers");
        assertContains(load("--peers", "n2=h:9325").problems(), "raft: peers must include this node's id n1");
        assertContains(load("--peers", "n1=h:9400").problems(),
                "peer n1=h:9400 is this node, but raft.raftPort is 9325; give both the same port");
    }

    @Test
    void aNonLoopbackBindWithoutAccessKeysIsRefused() {
        assertContains(load("--host", "0.0.0.0").problems(), "http.host 0.0.0.0 is not loopback");
        assertContains(load("--host", "sluice.internal").problems(), "http.host sluice.internal is not loopback");
        assertTrue(load("--host", "localhost").ok());
        assertTrue(load("--host", "::1").ok());

        LoadResult withKeys = loadInCheckout(List.of("--host", "0.0.0.0"), Map.of("SLUICE_ACCESS_KEYS", "AKIDEXAMPLE:very-secret-1"));
        assertTrue(withKeys.ok(), withKeys.problems().toString());
    }

    @Test
    void secretsNeverAppearInProblemsOrTheStartUpLog() {
        LoadResult bad = loadInCheckout(List.of(), Map.of("SLUICE_ACCESS_KEYS", "AKIDEXAMPLE:short-1,broken-secret-2"));
        assertFalse(bad.problems().toString().contains("short-1"), bad.problems().toString());
        assertFalse(bad.problems().toString().contains("broken-secret-2"), bad.problems().toString());

        LoadResult good = loadInCheckout(List.of(), Map.of("SLUICE_ACCESS_KEYS", "AKIDEXAMPLE:very-secret-1"));
        assertTrue(good.describe().contains("AKIDEXAMPLE:****"), good.describe());
        assertFalse(good.describe().contains("very-secret-1"), good.describe());
    }

    @Test
    void anAccessKeyMarkedAdminIsAnOperatorsKeyAndUnmarkedKeysReadAsBefore() {
        LoadResult result = loadInCheckout(List.of(), Map.of("SLUICE_ACCESS_KEYS",
                "admin=AKIDOPS:ops-secret-1234, AKIDAPP:app:secret=with-colons"));

        assertTrue(result.ok(), result.problems().toString());
        SluiceConfig.Auth auth = result.config().auth();
        assertEquals(List.of(new SluiceConfig.AccessKey("AKIDOPS", "ops-secret-1234", true),
                new SluiceConfig.AccessKey("AKIDAPP", "app:secret=with-colons", false)), auth.accessKeys());
        assertTrue(auth.isOperator("AKIDOPS"));
        assertFalse(auth.isOperator("AKIDAPP"));
        assertFalse(auth.isOperator(null));
        assertTrue(SluiceConfig.Auth.defaults().isOperator(null), "with auth off every caller is the operator");
        assertTrue(result.describe().contains("admin=AKIDOPS:****,AKIDAPP:****"), result.describe());
        assertFalse(result.describe().contains("ops-secret-1234"), result.describe());
    }

    @Test
    void theClusterKeyComesFromTheEnvironmentIsShownOnlyByItsIdAndMustBe32BytesOfBase64() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]).replace("AAAA", "QUFB");
        LoadResult good = loadInCheckout(List.of(), Map.of("SLUICE_CLUSTER_KEY", key,
                "SLUICE_ACCESS_KEYS", "admin=AKIDOPS:ops-secret-1234"));
        assertTrue(good.ok(), good.problems().toString());
        ClusterKey loaded = good.config().auth().clusterKey().orElseThrow();
        assertEquals(ClusterKey.parse(key), loaded);
        assertEquals(1, good.config().auth().accessKeys().size(), "the keys and the cluster key are set independently");
        assertTrue(good.describe().contains("cluster key " + loaded.id()), good.describe());
        assertFalse(good.describe().contains(key), good.describe());

        LoadResult shortKey = loadInCheckout(List.of(), Map.of("SLUICE_CLUSTER_KEY", "c2hvcnQ="));
        assertContains(shortKey.problems(), "32 bytes");
        assertFalse(shortKey.problems().toString().contains("c2hvcnQ="), shortKey.problems().toString());
        assertTrue(loadInCheckout(List.of(), Map.of()).config().auth().clusterKey().isEmpty());
    }

    @Test
    void theMetricsTokenComesFromTheEnvironmentIsNeverShownAndMustBeLongPrintableText() {
        String token = "scrape-0123456789abcdef";
        LoadResult good = loadInCheckout(List.of(), Map.of("SLUICE_METRICS_TOKEN", token));
        assertTrue(good.ok(), good.problems().toString());
        assertEquals(token, good.config().auth().metricsToken().orElseThrow());
        assertFalse(good.describe().contains(token), good.describe());
        assertTrue(good.describe().contains("(set)"), good.describe());

        assertContains(loadInCheckout(List.of(), Map.of("SLUICE_METRICS_TOKEN", "short")).problems(), "at least 16");
        assertContains(loadInCheckout(List.of(), Map.of("SLUICE_METRICS_TOKEN", "sixteen chars but spaces")).problems(),
                "without spaces");
        assertTrue(loadInCheckout(List.of(), Map.of()).config().auth().metricsToken().isEmpty());
    }

    @Test
    void anUnknownRoleOrAKeyListedTwiceIsAProblem() {
        assertContains(loadInCheckout(List.of(), Map.of("SLUICE_ACCESS_KEYS", "root=AKIDOPS:ops-secret-1234")).problems(),
                "must be accessKeyId:secretAccessKey or admin=accessKeyId:secretAccessKey");
        assertContains(loadInCheckout(List.of(), Map.of("SLUICE_ACCESS_KEYS",
                "admin=AKIDOPS:ops-secret-1234,AKIDOPS:other-secret-5678")).problems(),
                "lists access key AKIDOPS more than once");
    }

    @Test
    void theStartUpLogShowsEveryValueWithItsSource() {
        String text = loadInCheckout(List.of("--port", "9400"), Map.of("SLUICE_DATA_DIR", "/srv/sluice")).describe();

        assertTrue(text.matches("(?s).*http\\.port +9400 +--port.*"), text);
        assertTrue(text.matches("(?s).*raft\\.dataDirectory +/srv/sluice +SLUICE_DATA_DIR.*"), text);
        assertTrue(text.matches("(?s).*raft\\.nodeId +n1 +default.*"), text);
    }

    @Test
    void helpIsRecognisedAndTheUsageListsEveryFlagAndVariable() {
        assertTrue(load("--help").helpRequested());
        assertTrue(load("-h").helpRequested());
        String usage = ConfigLoader.usage();
        for (Setting setting : Settings.ALL) {
            setting.flag().ifPresent(flag -> assertTrue(usage.contains(flag), flag));
            assertTrue(usage.contains(setting.environmentVariable()), setting.environmentVariable());
            assertTrue(usage.contains(setting.key()), setting.key());
        }
    }

    @Test
    void everyDefaultReadsBackToItself() {
        SluiceConfig defaults = SluiceConfig.defaults();
        for (Setting setting : Settings.ALL) {
            assertEquals(defaults, setting.apply().apply(defaults, setting.show().apply(defaults)), setting.key());
        }
    }

    @Test
    void aMissingOrMisnamedConfigFileIsAProblem() {
        assertContains(load("--config", directory.resolve("absent.yaml").toString()).problems(), "does not exist");
        assertContains(load("--config", directory.resolve("sluice.toml").toString()).problems(),
                "name must end in .yaml, .yml or .json");
    }

    private LoadResult load(String... arguments) {
        return loadInCheckout(List.of(arguments), Map.of());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }

    private static void assertContains(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(fragment)),
                () -> "no problem contains '" + fragment + "' in " + problems);
    }

    /**
     * Loads as the server would from this checkout. The default data directory is relative, and
     * a checkout (CI's included) may itself live under /tmp, which the server refuses; these tests
     * are not about that rule (see joiningAndTemporaryStorageAreExplicitBooleans), so they allow it.
     */
    private static LoadResult loadInCheckout(List<String> arguments, Map<String, String> environment) {
        Map<String, String> withTemporary = new java.util.HashMap<>(environment);
        withTemporary.putIfAbsent("SLUICE_ALLOW_TEMPORARY_STORAGE", "true");
        return ConfigLoader.load(arguments, withTemporary);
    }
}
