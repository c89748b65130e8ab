package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice.jar admin ...} against a real server: what it prints and how it exits. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPS = "AKIDADMINOPS";
    private static final String OPS_SECRET = "ops-secret-1234";
    private static final String APP = "AKIDTENANTAPP";
    private static final String APP_SECRET = "app-secret-5678";

    @TempDir
    Path data;

    /** One run of the command: exit code and both streams. */
    private record Run(int exit, String out, String err) {
    }

    private static Run admin(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new AdminCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system()).run(List.of(args), environment);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] with(String endpoint, String... rest) {
        List<String> args = new ArrayList<>(List.of("--endpoint", endpoint));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    @Test
    void clusterPrintsTheNodesAndGroupsAndQueuePrintsAQueue() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data)) {
            String endpoint = "http://127.0.0.1:" + server.port();
            server.sqs.createQueue(b -> b.queueName("orders"));

            Run cluster = admin(Map.of(), with(endpoint, "cluster"));
            assertEquals(0, cluster.exit(), cluster.err());
            JsonNode view = JSON.readTree(cluster.out());
            assertEquals("n1", view.at("/nodes/0/id").asText(), cluster.out());
            assertEquals("up", view.at("/nodes/0/state").asText(), cluster.out());
            assertEquals("catalog", view.at("/groups/0/name").asText(), cluster.out());
            assertEquals("data-0", view.at("/groups/1/name").asText(), cluster.out());
            assertEquals("n1", view.at("/groups/1/leader").asText(), cluster.out());
            assertTrue(view.at("/groups/1/queueCount").asLong() >= 1, cluster.out());
            assertTrue(view.at("/groups/1/appliedIndex").asLong() > 0, cluster.out());

            Run queue = admin(Map.of(), with(endpoint, "queue", "orders"));
            assertEquals(0, queue.exit(), queue.err());
            assertTrue(queue.out().contains("orders"), queue.out());

            Run missing = admin(Map.of(), with(endpoint, "queue", "no-such-queue"));
            assertEquals(1, missing.exit());
            assertTrue(missing.err().contains("HTTP 404"), missing.err());
            assertTrue(missing.err().contains("QueueDoesNotExist"), missing.err());

            Run migrateMissing = admin(Map.of(), with(endpoint, "queue-migrate", "no-such-queue", "--to-group", "data-0"));
            assertEquals(1, migrateMissing.exit(), migrateMissing.out());
            assertTrue(migrateMissing.err().contains("HTTP 4"), migrateMissing.err());
        }
    }

    @Test
    void queuePartitionsAndQueueMigrateChangeWhereAQueueLives() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            String endpoint = "http://127.0.0.1:" + server.port();
            server.sqs.createQueue(b -> b.queueName("spread"));
            server.sqs.createQueue(b -> b.queueName("moved"));

            Run partitioned = admin(Map.of(), with(endpoint, "queue-partitions", "spread", "--count", "3"));
            assertEquals(0, partitioned.exit(), partitioned.err());
            assertEquals(3, JSON.readTree(partitioned.out()).get("groups").size(), partitioned.out());

            String from = JSON.readTree(admin(Map.of(), with(endpoint, "queue", "moved")).out()).at("/groups/0").asText();
            String to = from.equals("data-3") ? "data-2" : "data-3";
            Run started = admin(Map.of(), with(endpoint, "queue-migrate", "moved", "--to-group", to));
            assertEquals(0, started.exit(), started.err());
            assertEquals("RUNNING", JSON.readTree(started.out()).get("state").asText(), started.out());
            Run progress = admin(Map.of(), with(endpoint, "queue-migration", "moved"));
            assertEquals(0, progress.exit(), progress.err());
            assertEquals(to, JSON.readTree(progress.out()).get("toGroup").asText(), progress.out());

            Run twice = admin(Map.of(), with(endpoint, "queue-migrate", "moved", "--to-group", from));
            assertEquals(1, twice.exit(), twice.out());
            assertTrue(twice.err().contains("InvalidParameterValue"), twice.err());
            assertEquals(2, admin(Map.of(), with(endpoint, "queue-partitions", "spread")).exit());

            // A partition of the spread queue moves when the command names it; which one is needed with several.
            JsonNode spread = JSON.readTree(partitioned.out()).get("groups");
            String outside = "data-0";
            for (int g = 0; g < 4; g++) {
                if (!spread.toString().contains("\"data-" + g + "\"")) {
                    outside = "data-" + g;
                }
            }
            Run unnamed = admin(Map.of(), with(endpoint, "queue-migrate", "spread", "--to-group", outside));
            assertEquals(1, unnamed.exit(), unnamed.out());
            assertTrue(unnamed.err().contains("fromGroup"), unnamed.err());
            Run partitionMoved = admin(Map.of(), with(endpoint, "queue-migrate", "spread", "--to-group", outside,
                    "--from-group", spread.get(2).asText()));
            assertEquals(0, partitionMoved.exit(), partitionMoved.err());
            assertEquals(spread.get(2).asText(), JSON.readTree(partitionMoved.out()).get("fromGroup").asText(), partitionMoved.out());
        }
    }

    @Test
    void withAuthOnAnOperatorKeyReadsTheClusterATenantKeyGets403AndNoKeyGetsTheAuthError() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)))))) {
            String endpoint = "http://127.0.0.1:" + server.port();

            Run operator = admin(Map.of(), with(endpoint, "--access-key", OPS, "--secret-key", OPS_SECRET, "cluster"));
            assertEquals(0, operator.exit(), operator.err());
            assertTrue(JSON.readTree(operator.out()).has("groups"), operator.out());

            Run operatorByEnvironment = admin(Map.of("AWS_ACCESS_KEY_ID", OPS, "AWS_SECRET_ACCESS_KEY", OPS_SECRET),
                    with(endpoint, "cluster"));
            assertEquals(0, operatorByEnvironment.exit(), operatorByEnvironment.err());

            Run tenant = admin(Map.of(), with(endpoint, "--access-key", APP, "--secret-key", APP_SECRET, "cluster"));
            assertEquals(1, tenant.exit());
            assertTrue(tenant.err().contains("HTTP 403"), tenant.err());
            assertTrue(tenant.err().contains("AccessDenied"), tenant.err());
            assertEquals("", tenant.out());

            Run anonymous = admin(Map.of(), with(endpoint, "cluster"));
            assertEquals(1, anonymous.exit());
            assertTrue(anonymous.err().contains("HTTP 403"), anonymous.err());
            assertTrue(anonymous.err().contains("MissingAuthenticationToken"), anonymous.err());
        }
    }

    @Test
    void operatorCommandsChangeTheClusterLayoutATenantKeyIsRefusedAndBadInputGetsA4xx() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)))))) {
            String endpoint = "http://127.0.0.1:" + server.port();
            Map<String, String> operator = Map.of("AWS_ACCESS_KEY_ID", OPS, "AWS_SECRET_ACCESS_KEY", OPS_SECRET);

            Run tenant = admin(Map.of("AWS_ACCESS_KEY_ID", APP, "AWS_SECRET_ACCESS_KEY", APP_SECRET),
                    with(endpoint, "node-add", "n2", "--raft-address", "127.0.0.1:1"));
            assertEquals(1, tenant.exit());
            assertTrue(tenant.err().contains("HTTP 403") && tenant.err().contains("AccessDenied"), tenant.err());

            // The controller stores the first layout moments after start; until then a change asks to retry (409).
            Run added = awaitOk(() -> admin(operator, with(endpoint, "node-add", "n2", "--raft-address", "127.0.0.1:1")));
            JsonNode layout = JSON.readTree(added.out());
            assertEquals("n2", layout.at("/nodes/1/id").asText(), added.out());
            assertEquals("active", layout.at("/nodes/1/role").asText(), added.out());
            // Data groups get three replicas by default, as many as there are nodes while there are fewer.
            assertEquals(3, layout.at("/groups/1/replicationFactor").asInt(), added.out());
            assertTrue(layout.at("/groups/1/members").toString().contains("n2"), added.out());
            assertEquals(0, admin(operator, with(endpoint, "node-add", "n2", "--raft-address", "127.0.0.1:1")).exit(),
                    "adding the same node again is fine");

            assertRefused(admin(operator, with(endpoint, "node-add", "n2", "--raft-address", "127.0.0.1:2")), "HTTP 409", "Conflict");
            assertRefused(admin(operator, with(endpoint, "node-add", "bad id", "--raft-address", "127.0.0.1:2")), "HTTP 400",
                    "InvalidParameterValue");
            // A group held by 2 replicas cannot lose one of the 2 nodes.
            assertEquals(0, admin(operator, with(endpoint, "group-replication", "data-0", "--factor", "2")).exit());
            assertRefused(admin(operator, with(endpoint, "node-remove", "n2")), "HTTP 409", "replication factor");
            assertRefused(admin(operator, with(endpoint, "node-replace", "n9")), "HTTP 404", "no node named n9");
            assertRefused(admin(operator, with(endpoint, "group-leader", "data-9", "--node", "n1")), "HTTP 404", "data-9");
            assertRefused(admin(operator, with(endpoint, "group-leader", "catalog", "--node", "n1")), "HTTP 400", "catalog");
            assertRefused(admin(operator, with(endpoint, "group-replication", "data-0", "--factor", "3")), "HTTP 400",
                    "between 1 and the 2 active node(s)");

            // The view shows the layout as this node's catalog replica last read it (once a second).
            long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Run cluster = admin(operator, with(endpoint, "cluster"));
            while (!JSON.readTree(cluster.out()).at("/groups/1/desiredMembers").toString().contains("n2")) {
                assertTrue(System.nanoTime() < seen, cluster.out());
                Thread.sleep(200);
                cluster = admin(operator, with(endpoint, "cluster"));
            }
            JsonNode view = JSON.readTree(cluster.out());
            assertTrue(view.at("/moves").size() > 0, "n2 never started, so its replicas stay to be added: " + cluster.out());

            for (JsonNode group : view.get("groups")) {
                if (group.get("name").asText().startsWith("data-")) {
                    assertEquals(0, admin(operator, with(endpoint, "group-replication", group.get("name").asText(), "--factor",
                            "1")).exit());
                }
            }
            Run removed = admin(operator, with(endpoint, "node-remove", "n2"));
            assertEquals(0, removed.exit(), removed.err());
            assertEquals("leaving", JSON.readTree(removed.out()).at("/nodes/1/role").asText(), removed.out());
            // It held no replica, so the controller drops it at once.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (JSON.readTree(admin(operator, with(endpoint, "cluster")).out()).get("nodes").size() != 1) {
                assertTrue(System.nanoTime() < deadline, "n2 left the cluster");
                Thread.sleep(200);
            }
            assertEquals(0, admin(operator, with(endpoint, "node-remove", "n2")).exit(), "removing it again is fine");
            assertEquals(0, admin(operator, with(endpoint, "group-leader", "data-0", "--node", "n1")).exit());
        }
    }

    @Test
    void accountsCommandsCreateAnAccountAndAKeyWhoseSecretIsPrintedOnceAndRotateDisableAndCloseThem() throws Exception {
        byte[] clusterKey = new byte[32];
        java.util.Arrays.fill(clusterKey, (byte) 7);
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)),
                java.util.Optional.of(dev.sluice.broker.config.ClusterKey.parse(
                        java.util.Base64.getEncoder().encodeToString(clusterKey))))))) {
            String endpoint = "http://127.0.0.1:" + server.port();
            Map<String, String> operator = Map.of("AWS_ACCESS_KEY_ID", OPS, "AWS_SECRET_ACCESS_KEY", OPS_SECRET);

            Run created = admin(operator, with(endpoint, "accounts", "create", "Acme Corp", "--account-id", "123456789012"));
            assertEquals(0, created.exit(), created.err());
            assertEquals("open", JSON.readTree(created.out()).get("state").asText(), created.out());
            Run quotas = admin(operator, with(endpoint, "accounts", "quotas", "show", "123456789012"));
            assertEquals(3000, JSON.readTree(quotas.out()).get("quotas").get("sqsSendPerSecond").asLong(), quotas.out());
            Run setQuotas = admin(operator, with(endpoint, "accounts", "quotas", "set", "123456789012", "queues=50",
                    "sqsSendPerSecond=0"));
            assertEquals(0, setQuotas.exit(), setQuotas.err());
            assertEquals(50, JSON.readTree(setQuotas.out()).get("quotas").get("queues").asLong(), setQuotas.out());
            assertEquals(0, JSON.readTree(setQuotas.out()).get("quotas").get("sqsSendPerSecond").asLong(), setQuotas.out());
            assertRefused(admin(operator, with(endpoint, "accounts", "quotas", "set", "123456789012", "frobs=1")),
                    "HTTP 400", "frobs");
            assertEquals(2, admin(operator, with(endpoint, "accounts", "quotas", "set", "123456789012", "queues")).exit());
            Run chosen = admin(operator, with(endpoint, "accounts", "create", "Chosen"));
            assertTrue(JSON.readTree(chosen.out()).get("accountId").asText().matches("[0-9]{12}"), chosen.out());

            Run key = admin(operator, with(endpoint, "accounts", "keys", "create", "123456789012", "--policies", "Produce,Consume"));
            assertEquals(0, key.exit(), key.err());
            JsonNode keyBody = JSON.readTree(key.out());
            String keyId = keyBody.get("accessKeyId").asText();
            String secret = keyBody.get("secretAccessKey").asText();
            assertEquals("[\"Consume\",\"Produce\"]", keyBody.get("policies").toString());
            // The new key signs the admin command's own requests too (and, not being an operator's, is refused here).
            Run asTenant = admin(Map.of("AWS_ACCESS_KEY_ID", keyId, "AWS_SECRET_ACCESS_KEY", secret),
                    with(endpoint, "accounts", "list"));
            assertRefused(asTenant, "HTTP 403", "AccessDenied");

            Run listed = admin(operator, with(endpoint, "accounts", "list"));
            assertTrue(listed.out().contains("123456789012") && listed.out().contains("Acme Corp"), listed.out());
            Run shown = admin(operator, with(endpoint, "accounts", "show", "123456789012"));
            assertTrue(shown.out().contains(keyId) && !shown.out().contains(secret), shown.out());
            Run keys = admin(operator, with(endpoint, "accounts", "keys", "list", "123456789012"));
            assertTrue(keys.out().contains(keyId) && !keys.out().contains(secret), keys.out());

            Run attached = admin(operator, with(endpoint, "accounts", "keys", "attach", "123456789012", keyId, "ReadOnly"));
            assertTrue(JSON.readTree(attached.out()).get("policies").toString().contains("ReadOnly"), attached.out());
            Run detached = admin(operator, with(endpoint, "accounts", "keys", "detach", "123456789012", keyId, "Produce"));
            assertEquals("[\"Consume\",\"ReadOnly\"]", JSON.readTree(detached.out()).get("policies").toString());

            Run rotated = admin(operator, with(endpoint, "accounts", "keys", "rotate", "123456789012", keyId,
                    "--grace-seconds", "60"));
            assertEquals(0, rotated.exit(), rotated.err());
            JsonNode fresh = JSON.readTree(rotated.out());
            assertTrue(fresh.get("secretAccessKey").asText().length() == 40, rotated.out());
            Run old = admin(operator, with(endpoint, "accounts", "keys", "list", "123456789012"));
            assertTrue(old.out().contains("disableAt") && old.out().contains(fresh.get("accessKeyId").asText()), old.out());

            Run disabled = admin(operator, with(endpoint, "accounts", "keys", "disable", "123456789012", keyId));
            assertEquals("disabled", JSON.readTree(disabled.out()).get("state").asText(), disabled.out());
            assertEquals(0, admin(operator, with(endpoint, "accounts", "keys", "delete", "123456789012", keyId)).exit());
            assertRefused(admin(operator, with(endpoint, "accounts", "keys", "delete", "123456789012", keyId)), "HTTP 404",
                    "no access key");
            Run closed = admin(operator, with(endpoint, "accounts", "close", "123456789012"));
            assertEquals("closed", JSON.readTree(closed.out()).get("state").asText(), closed.out());
            assertRefused(admin(operator, with(endpoint, "accounts", "keys", "create", "123456789012")), "HTTP 409", "closed");
            assertRefused(admin(operator, with(endpoint, "accounts", "show", "999999999999")), "HTTP 404", "no account");
            assertRefused(admin(operator, with(endpoint, "accounts", "create", "Dup", "--account-id", "123456789012")),
                    "HTTP 409", "already exists");

            assertEquals(2, admin(operator, with(endpoint, "accounts", "keys", "rotate", "123456789012")).exit());
            assertEquals(2, admin(operator, with(endpoint, "accounts", "frobnicate")).exit());
            assertEquals(2, admin(operator, with(endpoint, "accounts", "keys", "rotate", "123456789012", keyId,
                    "--grace-seconds", "soon")).exit());
            assertTrue(admin(Map.of(), "--help").out().contains("accounts keys rotate ACCOUNT KEY"));
        }
    }

    private static void assertRefused(Run run, String status, String text) {
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.err().contains(status) && run.err().contains(text), run.err());
    }

    private static Run awaitOk(java.util.function.Supplier<Run> command) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Run run = command.get();
        while (run.exit() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            run = command.get();
        }
        assertEquals(0, run.exit(), run.err());
        return run;
    }

    @Test
    void aUsageErrorExitsWith2AndPrintsTheUsage() {
        for (String[] args : List.of(new String[0], new String[] {"cluster"}, with("http://127.0.0.1:1", "frobnicate"),
                with("http://127.0.0.1:1", "queue"), with("http://127.0.0.1:1", "queue-migrate", "orders"),
                with("http://127.0.0.1:1", "--access-key", "only-id", "cluster"), with("http://127.0.0.1:1", "node-add", "n4"),
                with("http://127.0.0.1:1", "group-leader", "data-0"), with("http://127.0.0.1:1", "group-replication", "data-0",
                        "--factor", "x"))) {
            Run run = admin(Map.of(), args);
            assertEquals(2, run.exit(), String.join(" ", args));
            assertTrue(run.err().contains("Usage: java -jar sluice.jar admin"), run.err());
        }
        assertEquals(0, admin(Map.of(), "--help").exit());
    }
}
