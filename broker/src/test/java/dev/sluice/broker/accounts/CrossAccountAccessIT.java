package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Cross-account access to a queue as IAM decides it, through the AWS SDKs (JSON with SDK v2, Query with SDK v1) with
 * keys of three accounts made over the admin API: owner A's queue Policy grants account B; C is granted nothing.
 * Across accounts the queue's Policy and the caller's key policies must both allow (a key without policies stands
 * for its account, whose identity side allows everything); an explicit Deny or an unmet condition refuses with
 * AccessDenied; a caller granted nothing is told the queue does not exist. Also the operator's view of every
 * account and the bounds of a ListQueues prefix.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossAccountAccessIT {
    @TempDir
    static Path data;
    private static SluiceServer server;
    private static AdminApi admin;
    private static String accountA;
    private static String accountB;
    private static String accountC;
    private static AwsCredentials keysA;
    private static AwsCredentials keysB;
    private static AwsCredentials consumerKeysB;
    private static SqsClient ownerA;
    private static SqsClient fullB;
    private static SqsClient consumerB;
    private static SqsClient fullC;
    private static SqsClient ops;
    private static SqsClient defaultApp;
    private static com.amazonaws.services.sqs.AmazonSQS queryB;
    private static com.amazonaws.services.sqs.AmazonSQS queryC;
    private static com.amazonaws.services.sqs.AmazonSQS queryOps;

    @BeforeAll
    static void startServerWithThreeAccounts() throws Exception {
        server = AccountsIT.startKeyed(data, 3, List.of());
        admin = new AdminApi(server.httpPort(), AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
        accountA = admin.createAccount("Owner");
        accountB = admin.createAccount("Partner");
        accountC = admin.createAccount("Stranger");
        AwsCredentials keyB = admin.createKey(accountB);
        keysB = keyB;
        AwsCredentials keyC = admin.createKey(accountC);
        AdminApi.Answer consumer = admin.call("POST", "/v1/admin/accounts/" + accountB + "/keys",
                "{\"policies\":[\"Consume\"]}");
        assertEquals(201, consumer.status(), consumer.text());
        keysA = admin.createKey(accountA);
        consumerKeysB = AwsCredentials.of(consumer.body().get("accessKeyId").asText(),
                consumer.body().get("secretAccessKey").asText());
        ownerA = admin.sqs(keysA);
        fullB = admin.sqs(keyB);
        consumerB = admin.sqs(consumerKeysB);
        fullC = admin.sqs(keyC);
        ops = admin.sqs(AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
        defaultApp = admin.sqs(AwsCredentials.of(AccountsIT.APP, AccountsIT.APP_SECRET));
        for (SqsClient client : List.of(ownerA, fullB, consumerB, fullC)) {
            AccountsIT.awaitWorking(client);
        }
        queryB = query(keyB);
        queryC = query(keyC);
        queryOps = query(AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
    }

    @AfterAll
    static void stopServer() {
        for (SqsClient client : new SqsClient[] {ownerA, fullB, consumerB, fullC, ops, defaultApp}) {
            if (client != null) {
                client.close();
            }
        }
        for (var client : new com.amazonaws.services.sqs.AmazonSQS[] {queryB, queryC, queryOps}) {
            if (client != null) {
                client.shutdown();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static com.amazonaws.services.sqs.AmazonSQS query(AwsCredentials keys) {
        return com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        "http://127.0.0.1:" + server.httpPort(), "us-east-1"))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials(keys.accessKeyId(), keys.secretAccessKey())))
                .withClientConfiguration(new com.amazonaws.ClientConfiguration().withMaxErrorRetry(0))
                .build();
    }

    /** A queue of A's with {@code policy} (statements, joined) as its Policy. */
    private static String queueOfA(String name, String... statements) {
        String url = ownerA.createQueue(b -> b.queueName(name)).queueUrl();
        ownerA.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}")));
        return url;
    }

    private static String statement(String effect, String principal, String actions, String queue, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principal + ",\"Action\":" + actions
                + ",\"Resource\":\"arn:aws:sqs:us-east-1:" + accountA + ":" + queue + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static String rootOf(String account) {
        return "{\"AWS\":\"arn:aws:iam::" + account + ":root\"}";
    }

    private static AwsServiceException accessDenied(Runnable call) {
        AwsServiceException denied = assertThrows(AwsServiceException.class, call::run);
        assertEquals(403, denied.statusCode(), denied.toString());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode(), denied.toString());
        return denied;
    }

    private static void queryAccessDenied(Runnable call) {
        var denied = assertThrows(com.amazonaws.services.sqs.model.AmazonSQSException.class, call::run);
        assertEquals(403, denied.getStatusCode(), denied.toString());
        assertEquals("AccessDenied", denied.getErrorCode(), denied.toString());
    }

    @Test
    void aPolicyGrantingAnotherAccountLetsItsKeySendReceiveAndFindTheQueueByOwnerThroughBothProtocols() {
        String url = queueOfA("shared-orders", statement("Allow", rootOf(accountB),
                "[\"sqs:SendMessage\",\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:GetQueueUrl\"]", "shared-orders",
                null));

        assertEquals(url, fullB.getQueueUrl(b -> b.queueName("shared-orders").queueOwnerAWSAccountId(accountA)).queueUrl());
        assertEquals(url, queryB.getQueueUrl(new com.amazonaws.services.sqs.model.GetQueueUrlRequest("shared-orders")
                .withQueueOwnerAWSAccountId(accountA)).getQueueUrl());
        fullB.sendMessage(b -> b.queueUrl(url).messageBody("json from b"));
        queryB.sendMessage(url, "query from b");
        List<String> bodies = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 5 && bodies.size() < 2; attempt++) {
            fullB.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(message -> {
                        bodies.add(message.body());
                        fullB.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    });
        }
        bodies.sort(null);
        assertEquals(List.of("json from b", "query from b"), bodies);
        // Without the owner's id, GetQueueUrl looks in B's own account.
        assertThrows(QueueDoesNotExistException.class, () -> fullB.getQueueUrl(b -> b.queueName("shared-orders")));
        // What the Policy does not grant B is AccessDenied: B may know the queue exists.
        accessDenied(() -> fullB.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "5"))));
        queryAccessDenied(() -> queryB.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url)));

        // C is granted nothing: the queue does not exist for it, through either protocol.
        assertThrows(QueueDoesNotExistException.class,
                () -> fullC.getQueueUrl(b -> b.queueName("shared-orders").queueOwnerAWSAccountId(accountA)));
        assertThrows(QueueDoesNotExistException.class, () -> fullC.sendMessage(b -> b.queueUrl(url).messageBody("c")));
        assertThrows(com.amazonaws.services.sqs.model.QueueDoesNotExistException.class, () -> queryC.sendMessage(url, "c"));
        assertThrows(com.amazonaws.services.sqs.model.QueueDoesNotExistException.class, () -> queryC.getQueueUrl(
                new com.amazonaws.services.sqs.model.GetQueueUrlRequest("shared-orders").withQueueOwnerAWSAccountId(accountA)));
    }

    @Test
    void aPolicyNamingTheBareAccountIdOrEveryoneGrantsAnotherAccount() {
        String byId = queueOfA("shared-by-id", statement("Allow", "{\"AWS\":\"" + accountB + "\"}", "\"sqs:SendMessage\"",
                "shared-by-id", null));
        fullB.sendMessage(b -> b.queueUrl(byId).messageBody("b by id"));
        assertThrows(QueueDoesNotExistException.class, () -> fullC.sendMessage(b -> b.queueUrl(byId).messageBody("c")));

        String everyone = queueOfA("shared-everyone", statement("Allow", "\"*\"", "\"sqs:SendMessage\"", "shared-everyone",
                null));
        fullC.sendMessage(b -> b.queueUrl(everyone).messageBody("c via star"));
        queryC.sendMessage(everyone, "c via star, query");
        assertEquals("2", ownerA.getQueueAttributes(b -> b.queueUrl(everyone)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void acrossAccountsTheKeysOwnPoliciesMustAllowTooAndTheQueuePolicyBoundsAKeyWithoutPolicies() {
        String url = queueOfA("shared-jobs", statement("Allow", rootOf(accountB),
                "[\"sqs:SendMessage\",\"sqs:ReceiveMessage\"]", "shared-jobs", null));
        ownerA.sendMessage(b -> b.queueUrl(url).messageBody("job"));

        // Both sides allow: the Consume key receives.
        assertEquals("job", consumerB.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());
        // Only the queue's side allows SendMessage: the Consume key may not send.
        AwsServiceException notItsKey = accessDenied(() -> consumerB.sendMessage(b -> b.queueUrl(url).messageBody("x")));
        assertTrue(notItsKey.awsErrorDetails().errorMessage().contains("no identity-based policy allows the sqs:SendMessage"),
                notItsKey.toString());
        // Only the key's side allows DeleteQueue (a key without policies may do anything of its own): not enough.
        AwsServiceException notTheQueues = accessDenied(() -> fullB.deleteQueue(b -> b.queueUrl(url)));
        assertTrue(notTheQueues.awsErrorDetails().errorMessage().contains("no resource-based policy allows the sqs:DeleteQueue"),
                notTheQueues.toString());
        assertEquals(url, ownerA.getQueueUrl(b -> b.queueName("shared-jobs")).queueUrl());
    }

    @Test
    void anExplicitDenyInTheQueuePolicyWinsOverItsAllowForAnotherAccount() {
        String url = queueOfA("shared-deny", statement("Allow", rootOf(accountB), "\"sqs:*\"", "shared-deny", null),
                statement("Deny", rootOf(accountB), "\"sqs:ReceiveMessage\"", "shared-deny", null));
        fullB.sendMessage(b -> b.queueUrl(url).messageBody("sent"));
        AwsServiceException denied = accessDenied(() -> fullB.receiveMessage(b -> b.queueUrl(url)));
        assertTrue(denied.awsErrorDetails().errorMessage().endsWith("with an explicit deny in a resource-based policy"),
                denied.toString());
        queryAccessDenied(() -> queryB.receiveMessage(url));
        assertEquals("sent", ownerA.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().get(0).body());
    }

    @Test
    void aGrantWhoseSourceIpConditionTheClientDoesNotMeetIsDenied() {
        String elsewhere = queueOfA("shared-from-10", statement("Allow", rootOf(accountB), "\"sqs:SendMessage\"",
                "shared-from-10", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
        accessDenied(() -> fullB.sendMessage(b -> b.queueUrl(elsewhere).messageBody("from loopback")));
        queryAccessDenied(() -> queryB.sendMessage(elsewhere, "from loopback"));

        String loopback = queueOfA("shared-from-127", statement("Allow", rootOf(accountB), "\"sqs:SendMessage\"",
                "shared-from-127", "{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}"));
        fullB.sendMessage(b -> b.queueUrl(loopback).messageBody("from loopback"));
    }

    @Test
    void anOperatorListsEveryAccountsQueuesAndScopesToOneAccountWithItsIdAsPrefix() {
        String ofA = ownerA.createQueue(b -> b.queueName("listed-by-ops")).queueUrl();
        String ofB = fullB.createQueue(b -> b.queueName("listed-by-ops")).queueUrl();
        String ofDefault = ops.createQueue(b -> b.queueName("listed-by-ops")).queueUrl();

        List<String> every = ops.listQueues(b -> b.maxResults(1000)).queueUrls();
        assertTrue(every.containsAll(List.of(ofA, ofB, ofDefault)), every.toString());
        assertEquals(List.of(ofB), ops.listQueues(b -> b.queueNamePrefix(accountB + "/listed")).queueUrls());
        assertEquals(List.of(ofDefault), ops.listQueues(b -> b.queueNamePrefix("listed-by")).queueUrls());
        assertEquals(List.of(ofB), queryOps.listQueues(accountB + "/listed").getQueueUrls());
        // Each account's own key still sees its own queue only.
        assertEquals(List.of(ofA), ownerA.listQueues(b -> b.queueNamePrefix("listed")).queueUrls());
    }

    @Test
    void aGetQueueUrlWithAMalformedOwnerIdIsAClientErrorThroughBothProtocols() {
        for (String malformed : List.of("abc", "12345", "../" + accountA, accountA + "/x", "1234567890123")) {
            AwsServiceException json = assertThrows(AwsServiceException.class,
                    () -> ops.getQueueUrl(b -> b.queueName("anything").queueOwnerAWSAccountId(malformed)));
            assertEquals(400, json.statusCode(), json.toString());
            assertEquals("InvalidAddress", json.awsErrorDetails().errorCode(), json.toString());
            var query = assertThrows(com.amazonaws.services.sqs.model.AmazonSQSException.class, () -> queryOps.getQueueUrl(
                    new com.amazonaws.services.sqs.model.GetQueueUrlRequest("anything").withQueueOwnerAWSAccountId(malformed)));
            assertEquals(400, query.getStatusCode(), query.toString());
            assertEquals("InvalidAddress", query.getErrorCode(), query.toString());
        }
    }

    @Test
    void aListQueuesPrefixCannotReachIntoAnotherAccount() {
        String ofB = fullB.createQueue(b -> b.queueName("prefix-target")).queueUrl();
        ownerA.createQueue(b -> b.queueName("prefix-own"));
        for (String prefix : List.of(accountB + "/", accountB + "/prefix", "/", "../" + accountB + "/prefix", "..", accountB)) {
            List<String> byDefault = defaultApp.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls();
            List<String> byA = ownerA.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls();
            assertTrue(byDefault.isEmpty(), prefix + " -> " + byDefault);
            assertTrue(byA.isEmpty(), prefix + " -> " + byA);
        }
        assertEquals(List.of(ofB), fullB.listQueues(b -> b.queueNamePrefix("prefix-")).queueUrls());
    }

    @Test
    void theRestQueuesApiNamesTheCallersAccountsQueuesAndDecidesThroughTheSameCheck() {
        AdminApi restA = new AdminApi(server.httpPort(), keysA);
        AdminApi restB = new AdminApi(server.httpPort(), keysB);
        AdminApi restConsumerB = new AdminApi(server.httpPort(), consumerKeysB);
        AdminApi.Answer created = restB.call("PUT", "/v1/queues/rest-of-b", null);
        assertEquals(200, created.status(), created.text());
        assertTrue(created.body().get("url").asText().endsWith("/" + accountB + "/rest-of-b"), created.text());
        String listed = restB.call("GET", "/v1/queues", null).text();
        assertTrue(listed.contains("/" + accountB + "/rest-of-b") && !listed.contains(accountA), listed);

        // A REST name is a queue of the caller's account: A's queue is not found there, even shared with B.
        queueOfA("rest-shared", statement("Allow", rootOf(accountB), "\"sqs:*\"", "rest-shared", null));
        AdminApi.Answer notB = restB.call("GET", "/v1/queues/rest-shared", null);
        assertEquals(404, notB.status(), notB.text());
        // The key's own policies refuse over REST as over SQS.
        AdminApi.Answer refused = restConsumerB.call("PUT", "/v1/queues/not-for-consumers", null);
        assertEquals(403, refused.status(), refused.text());
        assertEquals("AccessDenied", refused.code(), refused.text());
        // And the queue's Policy: an explicit Deny of the owner account's sends refuses A's own REST send.
        queueOfA("rest-denied", statement("Deny", rootOf(accountA), "\"sqs:SendMessage\"", "rest-denied", null));
        AdminApi.Answer send = restA.call("POST", "/v1/queues/rest-denied/messages", "{\"n\":1}");
        assertEquals(403, send.status(), send.text());
        assertEquals("AccessDenied", send.code(), send.text());
        assertEquals(200, restA.call("POST", "/v1/queues/rest-shared/messages", "{\"n\":2}").status());
    }

    @Test
    void aTopicDeliversToAQueueOfItsAccountWhosePolicyAllowsItsSourceArn() {
        try (var sns = software.amazon.awssdk.services.sns.SnsClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + server.httpPort()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(AccountsIT.APP, AccountsIT.APP_SECRET)))
                .build()) {
            String topic = sns.createTopic(b -> b.name("policy-source")).topicArn();
            String url = defaultApp.createQueue(b -> b.queueName("policy-target")).queueUrl();
            String queueArn = "arn:aws:sqs:us-east-1:000000000000:policy-target";
            defaultApp.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                            + "\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queueArn
                            + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + topic + "\"}}}]}")));
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
            sns.publish(b -> b.topicArn(topic).message("through the policy"));
            List<String> bodies = new java.util.ArrayList<>();
            for (int attempt = 0; attempt < 10 && bodies.isEmpty(); attempt++) {
                defaultApp.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()
                        .forEach(message -> bodies.add(message.body()));
            }
            assertEquals(List.of("through the policy"), bodies);
            // The owner account's own key still sends: the grant to the topic takes nothing from it.
            defaultApp.sendMessage(b -> b.queueUrl(url).messageBody("direct"));
        }
    }
}
