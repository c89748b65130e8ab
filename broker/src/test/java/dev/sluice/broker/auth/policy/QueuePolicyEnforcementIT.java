package dev.sluice.broker.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A queue's {@code Policy} enforced on the request path, through the AWS SDK with signed keys of the one account:
 * an explicit Deny refuses with SQS's AccessDenied (403) whoever the same-account caller is, as in AWS; conditions
 * see the client's address and transport.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QueuePolicyEnforcementIT {
    private static final String ACCOUNT = "000000000000";
    private static final String OPS = "AKIDPOLICYOPS";
    private static final String APP = "AKIDPOLICYAPP";
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SqsClient ops;
    static SqsClient app;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, "ops-secret-1234"), new SluiceConfig.AccessKey(APP, "app-secret-5678")))));
        ops = client(OPS, "ops-secret-1234");
        app = client(APP, "app-secret-5678");
    }

    @AfterAll
    static void stop() {
        ops.close();
        app.close();
        server.close();
    }

    private static SqsClient client(String key, String secret) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD)).build();
    }

    private static String arn(String queue) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queue;
    }

    private static String deny(String principal, String action, String queue, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"deny\",\"Effect\":\"Deny\",\"Principal\":" + principal
                + ",\"Action\":\"" + action + "\",\"Resource\":\"" + arn(queue) + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    private static void setPolicy(String url, String policy) {
        ops.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
    }

    private static AwsServiceException accessDenied(Runnable call) {
        AwsServiceException denied = assertThrows(AwsServiceException.class, call::run);
        assertEquals(403, denied.statusCode(), denied.getMessage());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        return denied;
    }

    @Test
    void anExplicitDenyOnTheKeysAccountRefusesSendMessageAndItsBatchWithAccessDenied() {
        String url = ops.createQueue(b -> b.queueName("deny-account")).queueUrl();
        setPolicy(url, deny("{\"AWS\":\"" + ACCOUNT + "\"}", "sqs:SendMessage", "deny-account", null));

        AwsServiceException denied = accessDenied(() -> app.sendMessage(b -> b.queueUrl(url).messageBody("x")));
        assertEquals("User: arn:aws:iam::" + ACCOUNT + ":user/" + APP + " is not authorized to perform: "
                + "sqs:SendMessage on resource: " + arn("deny-account") + " with an explicit deny in a resource-based "
                + "policy", denied.awsErrorDetails().errorMessage());
        accessDenied(() -> app.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder()
                .id("1").messageBody("x").build())));
        accessDenied(() -> ops.sendMessage(b -> b.queueUrl(url).messageBody("the owner too")));
        assertEquals(List.of(), app.receiveMessage(b -> b.queueUrl(url)).messages());

        setPolicy(url, "");
        app.sendMessage(b -> b.queueUrl(url).messageBody("allowed again"));
    }

    @Test
    void aDenyNamingOneKeyRefusesOnlyThatKeyAndAUrlNamingAnotherAccountDoesNotGetAroundIt() {
        String url = ops.createQueue(b -> b.queueName("deny-key")).queueUrl();
        setPolicy(url, deny("{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":user/" + APP + "\"}", "sqs:*", "deny-key", null));

        accessDenied(() -> app.sendMessage(b -> b.queueUrl(url).messageBody("x")));
        // A URL naming another account reaches that account's queue (none here), never this one around its Deny.
        String alias = url.replace("/" + ACCOUNT + "/", "/999999999999/");
        AwsServiceException elsewhere = assertThrows(AwsServiceException.class, () -> app.receiveMessage(b -> b.queueUrl(alias)));
        assertEquals(400, elsewhere.statusCode(), elsewhere.toString());
        assertTrue(elsewhere.awsErrorDetails().errorCode().contains("NonExistentQueue")
                || elsewhere.awsErrorDetails().errorCode().contains("QueueDoesNotExist"), elsewhere.toString());
        ops.sendMessage(b -> b.queueUrl(url).messageBody("ops may"));
        assertEquals(1, ops.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().size());
    }

    @Test
    void conditionsSeeTheClientsAddressAndTransport() {
        String url = ops.createQueue(b -> b.queueName("deny-conditions")).queueUrl();
        setPolicy(url, deny("\"*\"", "sqs:SendMessage", "deny-conditions",
                "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
        accessDenied(() -> app.sendMessage(b -> b.queueUrl(url).messageBody("over plain http")));

        setPolicy(url, deny("\"*\"", "sqs:SendMessage", "deny-conditions",
                "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
        app.sendMessage(b -> b.queueUrl(url).messageBody("from loopback"));
        setPolicy(url, deny("\"*\"", "sqs:SendMessage", "deny-conditions",
                "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
        AwsServiceException denied = accessDenied(() -> app.sendMessage(b -> b.queueUrl(url).messageBody("x")));
        assertTrue(denied.awsErrorDetails().errorMessage().contains("explicit deny"), denied.getMessage());
    }
}
