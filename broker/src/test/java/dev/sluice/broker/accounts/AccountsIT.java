package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.accounts.AdminApi.Answer;
import dev.sluice.broker.config.ClusterKey;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.SluiceServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Accounts and keys through the real interfaces: an operator (config admin key) creates accounts and keys over
 * {@code /v1/admin/accounts}; AWS SDK v2 clients signed with the created keys use SQS; disabling, rotating and closing
 * take effect within {@link LiveKeyDirectory#REFRESH_INTERVAL} (held here to 2 s).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountsIT {
    static final String OPS = "AKIDADMINOPS";
    static final String OPS_SECRET = "ops-secret-1234";
    static final String APP = "AKIDTENANTAPP";
    static final String APP_SECRET = "app-secret-5678";
    /** What the tests hold the refresh bound to: a disabled key is refused within this after the operator's answer. */
    static final Duration BOUND = Duration.ofSeconds(2);

    @TempDir
    static Path data;
    /** One server for every test: each works in accounts of its own. Routes echo the caller at /test/caller. */
    private static SluiceServer server;
    private static AdminApi admin;

    @BeforeAll
    static void startServer() throws Exception {
        dev.sluice.broker.RouteMount echo = (router, context) -> router.get("/test/caller").handler(request -> {
            dev.sluice.broker.auth.Caller caller = dev.sluice.broker.api.http.AuthenticationHandler.accountCaller(request);
            Map<String, Object> seen = new java.util.HashMap<>();
            seen.put("accountId", caller.accountId());
            seen.put("accessKeyId", caller.accessKeyId());
            seen.put("operator", caller.operator());
            request.json(seen);
        });
        server = startKeyed(data, 1, List.of(echo));
        admin = new AdminApi(server.httpPort(), AwsCredentials.of(OPS, OPS_SECRET));
    }

    /** A single-node server with the config keys and cluster key {@code clusterKey(fill)}, on free ports, ready. */
    static SluiceServer startKeyed(Path data, int fill, List<dev.sluice.broker.RouteMount> mounts) throws Exception {
        return startKeyed(data, fill, mounts, config -> config);
    }

    /** As {@link #startKeyed(Path, int, List)}, with the config changed by {@code adjust} first. */
    static SluiceServer startKeyed(Path data, int fill, List<dev.sluice.broker.RouteMount> mounts,
            java.util.function.UnaryOperator<SluiceConfig> adjust) throws Exception {
        SluiceConfig defaults = SluiceConfig.defaults();
        SluiceConfig config = adjust.apply(keyed(Optional.of(clusterKey(fill))).apply(defaults.withHttp(defaults.http()
                .withPort(0)).withRaft(defaults.raft().withNode("n1", "127.0.0.1",
                        dev.sluice.raftstore.testing.FreePorts.next()).withDataDirectory(data)
                        .withAllowTemporaryStorage(true).withDataGroups(1))));
        SluiceServer started = SluiceServer.start(config, mounts, java.time.InstantSource.system());
        long ready = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!started.node().health().ready() && System.nanoTime() < ready) {
            Thread.sleep(50);
        }
        return started;
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static ClusterKey clusterKey(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return ClusterKey.parse(Base64.getEncoder().encodeToString(bytes));
    }

    static UnaryOperator<SluiceConfig> keyed(Optional<ClusterKey> clusterKey) {
        return config -> config.withAuth(new SluiceConfig.Auth(List.of(new SluiceConfig.AccessKey(OPS, OPS_SECRET, true),
                new SluiceConfig.AccessKey(APP, APP_SECRET)), clusterKey));
    }

    /** Sends and receives one message through {@code sqs}; throws the SDK's exception when refused. */
    static void sendAndReceive(SqsClient sqs, String queue) {
        String url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello from " + queue));
        assertEquals("hello from " + queue, sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());
    }

    static boolean works(SqsClient sqs) {
        try {
            sqs.listQueues();
            return true;
        } catch (SqsException e) {
            assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode(), e.toString());
            assertEquals(403, e.statusCode());
            return false;
        }
    }

    /** Waits until {@code sqs}'s key is accepted, failing past {@link #BOUND}. */
    static void awaitWorking(SqsClient sqs) throws InterruptedException {
        long seen = System.nanoTime() + BOUND.toNanos();
        while (!works(sqs)) {
            assertTrue(System.nanoTime() < seen, "the key is still refused after " + BOUND);
            Thread.sleep(20);
        }
    }

    /** Milliseconds until {@code sqs} is refused, failing past {@link #BOUND}. */
    static long untilRefused(SqsClient sqs) throws InterruptedException {
        long start = System.nanoTime();
        while (works(sqs)) {
            assertTrue(System.nanoTime() - start < BOUND.toNanos(), "still accepted after " + BOUND);
            Thread.sleep(20);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aKeyCreatedOverTheAdminApiSignsSqsRequestsAndADisabledOneIsRefusedWithinTheBound() throws Exception {
        String account = admin.createAccount("Acme");
        assertTrue(account.matches("[1-9][0-9]{11}"), account);
        Answer created = admin.call("POST", "/v1/admin/accounts/" + account + "/keys",
                "{\"policies\":[\"Produce\",\"Consume\",\"ManageQueues\"]}");
        assertEquals(201, created.status(), created.text());
        String keyId = created.body().get("accessKeyId").asText();
        String secret = created.body().get("secretAccessKey").asText();
        assertTrue(keyId.matches("AKIA[A-Z2-7]{16}"), keyId);
        assertEquals(40, secret.length());
        assertEquals("[\"Consume\",\"ManageQueues\",\"Produce\"]", created.body().get("policies").toString());

        try (SqsClient tenant = admin.sqs(AwsCredentials.of(keyId, secret))) {
            sendAndReceive(tenant, "acme-orders");
            // The secret was shown once: no later answer carries it.
            for (String path : List.of("/v1/admin/accounts", "/v1/admin/accounts/" + account,
                    "/v1/admin/accounts/" + account + "/keys", "/v1/admin/accounts/" + account + "/keys/" + keyId)) {
                Answer read = admin.call("GET", path, null);
                assertEquals(200, read.status(), read.text());
                assertTrue(read.text().contains(keyId) || path.equals("/v1/admin/accounts"), read.text());
                assertFalse(read.text().contains(secret) || read.text().contains("secretAccessKey"), read.text());
            }
            Answer disabled = admin.call("POST", "/v1/admin/accounts/" + account + "/keys/" + keyId + "/disable", null);
            assertEquals(200, disabled.status(), disabled.text());
            assertEquals("disabled", disabled.body().get("state").asText());
            untilRefused(tenant);
        }
        // A wrong secret for a live catalog key is SignatureDoesNotMatch, as for a config key.
        AwsCredentials other = admin.createKey(account);
        try (SqsClient wrong = admin.sqs(AwsCredentials.of(other.accessKeyId(), "x" + other.secretAccessKey()))) {
            SqsException refused = assertThrows(SqsException.class, wrong::listQueues);
            assertEquals("SignatureDoesNotMatch", refused.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aKeysManagedPoliciesLimitWhatItMayDoInItsAccount() throws Exception {
        String account = admin.createAccount("Limited");
        AwsCredentials owner = admin.createKey(account);
        Answer created = admin.call("POST", "/v1/admin/accounts/" + account + "/keys", "{\"policies\":[\"Consume\"]}");
        assertEquals(201, created.status(), created.text());
        AwsCredentials consumer = AwsCredentials.of(created.body().get("accessKeyId").asText(),
                created.body().get("secretAccessKey").asText());
        try (SqsClient full = admin.sqs(owner); SqsClient consuming = admin.sqs(consumer)) {
            awaitWorking(full);
            awaitWorking(consuming);
            String url = full.createQueue(b -> b.queueName("limited-jobs")).queueUrl();
            full.sendMessage(b -> b.queueUrl(url).messageBody("job"));

            assertEquals("job", consuming.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());
            SqsException send = assertThrows(SqsException.class, () -> consuming.sendMessage(b -> b.queueUrl(url)
                    .messageBody("not mine to send")));
            assertEquals("AccessDenied", send.awsErrorDetails().errorCode(), send.toString());
            assertEquals(403, send.statusCode());
            SqsException create = assertThrows(SqsException.class, () -> consuming.createQueue(b -> b.queueName("mine")));
            assertEquals("AccessDenied", create.awsErrorDetails().errorCode(), create.toString());
            assertEquals(List.of(url), full.listQueues().queueUrls(), "the refused CreateQueue created nothing");
        }
    }

    /** A peek shows message bodies, what a receive shows: a key that may only read settings must not see them. */
    @Test
    void aRestPeekNeedsTheRightToReceiveNotJustToFindTheQueue() throws Exception {
        String account = admin.createAccount("Peeking");
        AwsCredentials owner = admin.createKey(account);
        AwsCredentials reader = keyWith(account, "ReadOnly");
        AwsCredentials consumer = keyWith(account, "Consume");
        try (SqsClient full = admin.sqs(owner)) {
            awaitWorking(full);
            String url = full.createQueue(b -> b.queueName("peeked")).queueUrl();
            full.sendMessage(b -> b.queueUrl(url).messageBody("secret payload"));
        }
        String peek = "/v1/queues/peeked/messages/peek";
        Answer refused = awaitKnown(new AdminApi(server.httpPort(), reader), peek);
        assertRefused(refused, 403, "AccessDenied", "sqs:ReceiveMessage");
        assertTrue(!refused.text().contains("secret payload"), refused.text());
        Answer shown = awaitKnown(new AdminApi(server.httpPort(), consumer), peek);
        assertEquals(200, shown.status(), shown.text());
        assertEquals("secret payload", shown.body().get("messages").get(0).get("body").asText(), shown.text());
    }

    /** A node's share of the cluster's numbers holds every account's: only the nodes (operators) read it. */
    @Test
    void aTenantsKeyReadsNoNodesShareOfTheClusterNumbers() throws Exception {
        String account = admin.createAccount("Curious");
        AdminApi tenant = new AdminApi(server.httpPort(), admin.createKey(account));
        for (String path : List.of("/v1/function-activity/node", "/v1/subscription-failures/node")) {
            assertRefused(awaitKnown(tenant, path), 403, "AccessDenied", "operator");
            Answer app = new AdminApi(server.httpPort(), AwsCredentials.of(APP, APP_SECRET)).call("GET", path, null);
            assertRefused(app, 403, "AccessDenied", "operator");
            assertEquals(200, admin.call("GET", path, null).status(), path);
        }
    }

    private static AwsCredentials keyWith(String account, String policy) {
        Answer created = admin.call("POST", "/v1/admin/accounts/" + account + "/keys", "{\"policies\":[\"" + policy + "\"]}");
        assertEquals(201, created.status(), created.text());
        return AwsCredentials.of(created.body().get("accessKeyId").asText(), created.body().get("secretAccessKey").asText());
    }

    /** The answer to a GET once the new key is known on this node (a fresh key is refused until the directory refreshes). */
    private static Answer awaitKnown(AdminApi api, String path) throws InterruptedException {
        long bound = System.nanoTime() + BOUND.toNanos();
        Answer answer = api.call("GET", path, null);
        while (answer.status() == 403 && "InvalidClientTokenId".equals(answer.code()) && System.nanoTime() < bound) {
            Thread.sleep(20);
            answer = api.call("GET", path, null);
        }
        return answer;
    }

    @Test
    void aRotationWithGraceKeepsBothKeysWorkingUntilTheGraceEndsThenRefusesTheOldOne() throws Exception {
        String account = admin.createAccount("Rotating");
        AwsCredentials old = admin.createKey(account);
        admin.call("PUT", "/v1/admin/accounts/" + account + "/keys/" + old.accessKeyId() + "/policies/AdministratorAccess", null);
        try (SqsClient before = admin.sqs(old)) {
            sendAndReceive(before, "rotating");
            long rotatedAt = System.nanoTime();
            Answer rotated = admin.call("POST", "/v1/admin/accounts/" + account + "/keys/" + old.accessKeyId() + "/rotate",
                    "{\"graceSeconds\":3}");
            assertEquals(201, rotated.status(), rotated.text());
            assertEquals("[\"AdministratorAccess\"]", rotated.body().get("policies").toString(),
                    "the new key keeps the policies");
            AwsCredentials fresh = AwsCredentials.of(rotated.body().get("accessKeyId").asText(),
                    rotated.body().get("secretAccessKey").asText());
            try (SqsClient after = admin.sqs(fresh)) {
                awaitWorking(after);
                assertTrue(works(before), "the old key works during the grace");
                sendAndReceive(before, "rotating-old");
                sendAndReceive(after, "rotating-new");
                Answer oldKey = admin.call("GET", "/v1/admin/accounts/" + account + "/keys/" + old.accessKeyId(), null);
                assertNotNull(oldKey.body().get("disableAt").textValue(), oldKey.text());
                while (works(before)) {
                    assertTrue(System.nanoTime() - rotatedAt < Duration.ofSeconds(3).plus(BOUND).toNanos(),
                            "the old key still works after its grace");
                    Thread.sleep(50);
                }
                assertTrue(System.nanoTime() - rotatedAt >= Duration.ofMillis(2_500).toNanos(), "refused before its grace");
                assertTrue(works(after), "the new key keeps working");
            }
        }
        // Without grace the old key is disabled at once.
        AwsCredentials second = admin.createKey(account);
        try (SqsClient client = admin.sqs(second)) {
            awaitWorking(client);
            Answer rotated = admin.call("POST", "/v1/admin/accounts/" + account + "/keys/" + second.accessKeyId()
                    + "/rotate", null);
            assertEquals(201, rotated.status(), rotated.text());
            untilRefused(client);
        }
    }

    @Test
    void aClosedAccountsKeysAreRefusedAndItGetsNoNewKeys() throws Exception {
        String account = admin.createAccount("Closing");
        AwsCredentials key = admin.createKey(account);
        try (SqsClient tenant = admin.sqs(key)) {
            awaitWorking(tenant);
            Answer closed = admin.call("POST", "/v1/admin/accounts/" + account + "/close", null);
            assertEquals(200, closed.status(), closed.text());
            assertEquals("closed", closed.body().get("state").asText());
            untilRefused(tenant);
        }
        Answer refused = admin.call("POST", "/v1/admin/accounts/" + account + "/keys", null);
        assertEquals(409, refused.status(), refused.text());
        assertEquals("Conflict", refused.code());
        assertTrue(refused.body().get("message").asText().contains("closed"), refused.text());
    }

    @Test
    void onlyOperatorsReachTheAccountsApiAndBadRequestsGetClear4xxAnswers() throws Exception {
        String account = admin.createAccount("Tenant");
        AwsCredentials created = admin.createKey(account);
        for (AwsCredentials tenant : List.of(AwsCredentials.of(APP, APP_SECRET), created)) {
            AdminApi notOperator = new AdminApi(server.httpPort(), tenant);
            long seen = System.nanoTime() + BOUND.toNanos();
            Answer denied = notOperator.call("GET", "/v1/admin/accounts", null);
            while (denied.status() != 403 || !"AccessDenied".equals(denied.code())) {
                assertTrue(System.nanoTime() < seen, denied.text());
                Thread.sleep(20);
                denied = notOperator.call("GET", "/v1/admin/accounts", null);
            }
            assertEquals(403, notOperator.call("POST", "/v1/admin/accounts/" + account + "/keys", null).status());
        }
        assertEquals(403, new AdminApi(server.httpPort(), null).call("GET", "/v1/admin/accounts", null).status());

        assertRefused(admin.call("POST", "/v1/admin/accounts", "{\"name\":\"Dup\",\"accountId\":\"" + account + "\"}"), 409,
                "Conflict", "already exists");
        assertRefused(admin.call("POST", "/v1/admin/accounts", "{\"name\":\"Short\",\"accountId\":\"12345\"}"), 400,
                "InvalidParameterValue", "12 digits");
        assertRefused(admin.call("POST", "/v1/admin/accounts", "{\"name\":\"Zero\",\"accountId\":\"000000000000\"}"), 409,
                "Conflict", "default account");
        assertRefused(admin.call("POST", "/v1/admin/accounts", "{}"), 400, "MissingParameter", "name");
        assertRefused(admin.call("POST", "/v1/admin/accounts", "{\"name\":\"bad/name\"}"), 400, "InvalidParameterValue",
                "name");
        assertRefused(admin.call("GET", "/v1/admin/accounts/999999999999", null), 404, "ResourceNotFoundException",
                "no account 999999999999");
        assertRefused(admin.call("GET", "/v1/admin/accounts/abc", null), 400, "InvalidParameterValue", "12 digits");
        assertRefused(admin.call("POST", "/v1/admin/accounts/999999999999/keys", null), 404, "ResourceNotFoundException",
                "no account");
        assertRefused(admin.call("POST", "/v1/admin/accounts/" + account + "/keys", "{\"policies\":[\"GodMode\"]}"), 400,
                "InvalidParameterValue", "GodMode");
        String key = "/v1/admin/accounts/" + account + "/keys/" + created.accessKeyId();
        assertRefused(admin.call("GET", "/v1/admin/accounts/" + account + "/keys/AKIAZZZZZZZZZZZZZZZZ", null), 404,
                "ResourceNotFoundException", "no access key");
        assertRefused(admin.call("GET", "/v1/admin/accounts/" + account + "/keys/nope", null), 400,
                "InvalidParameterValue", "AKIA");
        assertRefused(admin.call("PUT", key + "/policies/GodMode", null), 404, "ResourceNotFoundException", "GodMode");
        assertRefused(admin.call("DELETE", key + "/policies/Produce", null), 404, "ResourceNotFoundException",
                "not attached");
        assertRefused(admin.call("POST", key + "/rotate", "{\"graceSeconds\":-1}"), 400, "InvalidParameterValue", "grace");
        assertRefused(admin.call("POST", "/v1/admin/accounts/000000000000/close", null), 409, "Conflict", "default");

        Answer attached = admin.call("PUT", key + "/policies/Produce", null);
        assertEquals("[\"Produce\"]", attached.body().get("policies").toString(), attached.text());
        admin.call("PUT", key + "/policies/ReadOnly", null);
        assertEquals("[\"Produce\",\"ReadOnly\"]", admin.call("PUT", key + "/policies/Produce", null).body()
                .get("policies").toString(), "attaching twice is one attachment");
        assertEquals("[\"ReadOnly\"]", admin.call("DELETE", key + "/policies/Produce", null).body().get("policies")
                .toString());
        assertEquals(204, admin.call("DELETE", key, null).status());
        assertRefused(admin.call("DELETE", key, null), 404, "ResourceNotFoundException", "no access key");

        Answer listed = admin.call("GET", "/v1/admin/accounts", null);
        assertEquals("000000000000", listed.body().at("/accounts/0/accountId").asText(), listed.text());
        assertTrue(listed.text().contains("\"accountId\":\"" + account + "\""), listed.text());
        Answer given = admin.call("POST", "/v1/admin/accounts", "{\"name\":\"Given\",\"accountId\":\"111122223333\"}");
        assertEquals(201, given.status(), given.text());
        assertEquals("111122223333", given.body().get("accountId").asText());
    }

    @Test
    void routesSeeTheCallersAccountAndWhetherItIsAnOperator() {
        String account = admin.createAccount("Seen");
        AwsCredentials created = admin.createKey(account);
        assertCaller(admin, "000000000000", OPS, true);
        assertCaller(new AdminApi(server.httpPort(), AwsCredentials.of(APP, APP_SECRET)), "000000000000", APP, false);
        // Every route sees another account's key as a caller of that account; what it may do there is each route's
        // check (the operator-only ones refuse it: aTenantsKeyReadsNoNodesShareOfTheClusterNumbers).
        assertCaller(new AdminApi(server.httpPort(), created), account, created.accessKeyId(), false);
    }

    private static void assertCaller(AdminApi api, String accountId, String accessKeyId, boolean operator) {
        Answer seen = api.call("GET", "/test/caller", null);
        assertEquals(200, seen.status(), seen.text());
        assertEquals(accountId, seen.body().get("accountId").asText(), seen.text());
        assertEquals(accessKeyId, seen.body().get("accessKeyId").asText(), seen.text());
        assertEquals(operator, seen.body().get("operator").asBoolean(), seen.text());
    }

    static void assertRefused(Answer answer, int status, String code, String messagePart) {
        assertEquals(status, answer.status(), answer.text());
        assertEquals(code, answer.code(), answer.text());
        assertTrue(answer.body().get("message").asText().contains(messagePart), answer.text());
    }
}
