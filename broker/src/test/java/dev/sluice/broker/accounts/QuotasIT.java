package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Account quotas through the operator API and the AWS SDKs: the operator reads and sets them; a tenant over its
 * request rate is refused with the error each protocol's SDK treats as throttling (SQS JSON and Query
 * RequestThrottled 400, SNS Throttled 429, REST 429), and an SDK left at its default retries gets every call through.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuotasIT {
    @TempDir
    static Path data;
    private static SluiceServer server;
    private static AdminApi admin;

    @BeforeAll
    static void startServer() throws Exception {
        // SNS tries a copy 100,015 times before its dead-letter queue takes it; here 4 times (3 retries at once).
        server = AccountsIT.startKeyed(data, 5, List.of(), config -> config.withNotifications(
                config.notifications().withQueueDeliveryAttempts(4)));
        admin = new AdminApi(server.httpPort(), AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A new account with {@code quotas} (a JSON object) set, and a key of it that works. */
    private static AwsCredentials tenant(String name, String quotas) throws InterruptedException {
        String account = admin.createAccount(name);
        AdminApi.Answer set = admin.call("PUT", "/v1/admin/accounts/" + account + "/quotas", quotas);
        assertEquals(200, set.status(), set.text());
        AwsCredentials keys = admin.createKey(account);
        try (SqsClient probe = admin.sqs(keys)) {
            AccountsIT.awaitWorking(probe);
        }
        return keys;
    }

    private static double throttled(String family) {
        return server.meters().get("sluice.quota.throttled").tag("family", family).functionCounter().count();
    }

    @Test
    void theOperatorReadsAndSetsQuotasAndBadChangesGetA4xx() {
        String account = admin.createAccount("Quoted");
        String path = "/v1/admin/accounts/" + account + "/quotas";
        AdminApi.Answer initial = admin.call("GET", path, null);
        assertEquals(200, initial.status(), initial.text());
        assertEquals(3_000, initial.body().get("quotas").get("sqsSendPerSecond").asLong(), initial.text());
        assertEquals(1_000, initial.body().get("quotas").get("queues").asLong(), initial.text());

        AdminApi.Answer changed = admin.call("PUT", path, "{\"sqsSendPerSecond\":7,\"topics\":0}");
        assertEquals(200, changed.status(), changed.text());
        assertEquals(7, changed.body().get("quotas").get("sqsSendPerSecond").asLong());
        assertEquals(0, changed.body().get("quotas").get("topics").asLong());
        assertEquals(3_000, changed.body().get("quotas").get("sqsReceivePerSecond").asLong(), "the others keep theirs");
        AdminApi.Answer described = admin.call("GET", "/v1/admin/accounts/" + account, null);
        assertEquals(7, described.body().get("quotas").get("sqsSendPerSecond").asLong(), described.text());

        assertEquals(400, admin.call("PUT", path, "{\"sqsSendPerSecond\":-1}").status());
        assertEquals(400, admin.call("PUT", path, "{\"queues\":2000000000}").status());
        AdminApi.Answer unknown = admin.call("PUT", path, "{\"frobs\":1}");
        assertEquals(400, unknown.status(), unknown.text());
        assertEquals(400, admin.call("PUT", path, "{}").status());
        assertEquals(400, admin.call("PUT", path, "{\"queues\":\"many\"}").status());
        assertEquals(404, admin.call("PUT", "/v1/admin/accounts/999999999999/quotas", "{\"queues\":1}").status());
        AdminApi.Answer defaultAccount = admin.call("PUT", "/v1/admin/accounts/000000000000/quotas", "{\"queues\":1}");
        assertEquals(409, defaultAccount.status(), defaultAccount.text());
        assertEquals(0, admin.call("GET", "/v1/admin/accounts/000000000000/quotas", null).body().get("quotas")
                .get("sqsSendPerSecond").asLong(), "the default account is not limited");
        assertEquals(7, admin.call("GET", path, null).body().get("quotas").get("sqsSendPerSecond").asLong(),
                "refused changes changed nothing");
    }

    @Test
    void anSqsClientOverItsSendRateIsThrottledAndWithDefaultRetriesEveryCallSucceeds() throws Exception {
        AwsCredentials keys = tenant("Sender", "{\"sqsSendPerSecond\":10}");
        double before = throttled("sqs_send");
        try (SqsClient noRetries = admin.sqs(keys); SqsClient retrying = sqs(keys)) {
            String url = noRetries.createQueue(b -> b.queueName("throttled")).queueUrl();
            AwsServiceException refused = null;
            int sent = 0;
            for (int i = 0; i < 40 && refused == null; i++) {
                try {
                    noRetries.sendMessage(b -> b.queueUrl(url).messageBody("m"));
                    sent++;
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "40 sends at once were all admitted at 10 a second");
            assertEquals("RequestThrottled", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(400, refused.statusCode());
            assertTrue(refused.isThrottlingException(), "the SDK must see a throttling error, to back off and retry");
            assertTrue(throttled("sqs_send") > before);

            // Receives are another family: not refused while sends are.
            noRetries.receiveMessage(b -> b.queueUrl(url));
            double refusedSoFar = throttled("sqs_send");
            for (int i = 0; i < 20; i++) {
                retrying.sendMessage(b -> b.queueUrl(url).messageBody("r"));
            }
            assertTrue(throttled("sqs_send") > refusedSoFar, "20 sends at 10 a second were never throttled");
            var depth = noRetries.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            assertEquals(sent + 20, Integer.parseInt(depth.get("ApproximateNumberOfMessages"))
                    + Integer.parseInt(depth.get("ApproximateNumberOfMessagesNotVisible")),
                    "a throttled send stored nothing; each retried one once");
        }
    }

    @Test
    void queryProtocolAndSnsAndRestAnswerTheirOwnThrottlingErrors() throws Exception {
        AwsCredentials keys = tenant("Everyone", "{\"sqsOtherPerSecond\":2,\"snsOtherPerSecond\":2}");
        com.amazonaws.services.sqs.AmazonSQS query = com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        "http://127.0.0.1:" + server.httpPort(), "us-east-1"))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials(keys.accessKeyId(), keys.secretAccessKey())))
                .withClientConfiguration(new com.amazonaws.ClientConfiguration().withMaxErrorRetry(0)).build();
        try {
            com.amazonaws.AmazonServiceException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    query.listQueues();
                } catch (com.amazonaws.AmazonServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "20 ListQueues at once were all admitted at 2 a second");
            assertEquals("RequestThrottled", refused.getErrorCode(), refused.toString());
            assertEquals(400, refused.getStatusCode());
        } finally {
            query.shutdown();
        }

        try (SnsClient sns = sns(keys)) {
            AwsServiceException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    sns.listTopics();
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "20 ListTopics at once were all admitted at 2 a second");
            assertEquals("Throttled", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(429, refused.statusCode());
            assertTrue(refused.isThrottlingException());
        }

        AdminApi tenantRest = new AdminApi(server.httpPort(), keys);
        AdminApi.Answer refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            AdminApi.Answer answer = tenantRest.call("GET", "/v1/queues", null);
            if (answer.status() != 200) {
                refused = answer;
            }
        }
        assertNotNull(refused, "20 REST queue listings at once were all admitted at 2 a second");
        assertEquals(429, refused.status(), refused.text());
        assertEquals("RequestThrottled", refused.code(), refused.text());
    }

    @Test
    void anAccountAtItsQueueQuotaIsRefusedOverLimitAndNothingIsCreatedButReCreatingAQueueItHasWorks() throws Exception {
        AwsCredentials keys = tenant("Counted", "{\"queues\":2}");
        try (SqsClient sqs = admin.sqs(keys)) {
            String first = sqs.createQueue(b -> b.queueName("first")).queueUrl();
            sqs.createQueue(b -> b.queueName("second.fifo").attributes(java.util.Map.of(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true")));
            AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sqs.createQueue(b -> b.queueName("third")));
            assertEquals("OverLimit", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(400, refused.statusCode());
            assertEquals(first, sqs.createQueue(b -> b.queueName("first")).queueUrl(), "an existing queue's create answers");
            assertEquals(2, sqs.listQueues().queueUrls().size(), "the refused create wrote nothing");
            org.junit.jupiter.api.Assertions.assertThrows(
                    software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException.class,
                    () -> sqs.getQueueUrl(b -> b.queueName("third")));
            sqs.deleteQueue(b -> b.queueUrl(first));
            sqs.createQueue(b -> b.queueName("third"));
        }
    }

    @Test
    void anAccountAtItsStoredBytesQuotaIsRefusedOverLimitOnSendsAndTheRefusedSendWritesNothing() throws Exception {
        AwsCredentials keys = tenant("Hoarder", "{\"storedBytes\":1500}");
        try (SqsClient sqs = admin.sqs(keys)) {
            String url = sqs.createQueue(b -> b.queueName("hoard")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a".repeat(1_000)));
            // The edge reads the cluster's sums every second: sends pass until it sees the account at its quota.
            AwsServiceException refused = null;
            int admitted = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                            software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder().id("1")
                                    .messageBody("b".repeat(300)).build(),
                            software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder().id("2")
                                    .messageBody("c".repeat(300)).build()));
                    admitted++;
                    Thread.sleep(100);
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "never refused at 1,000 + 600 x " + admitted + " bytes stored");
            assertEquals("OverLimit", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(400, refused.statusCode());
            assertTrue(refused.awsErrorDetails().errorMessage().contains("storedBytes"), refused.toString());
            AwsServiceException single = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("d".repeat(600))));
            assertEquals("OverLimit", single.awsErrorDetails().errorCode(), single.toString());
            assertEquals(String.valueOf(1 + 2 * admitted), sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributesAsStrings().get("ApproximateNumberOfMessages"), "the refused sends stored nothing");
            // Purged, the account has room again once the edge has read the new sums.
            sqs.purgeQueue(b -> b.queueUrl(url));
            awaitAdmitted(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("e".repeat(1_000))));
        }
    }

    @Test
    void aTopicOwnerAtItsStoredBytesQuotaIsRefusedOverLimitOnPublishAndPublishBatch() throws Exception {
        AwsCredentials keys = tenant("Announcer", "{\"storedBytes\":1500}");
        try (SqsClient sqs = admin.sqs(keys); SnsClient sns = sns(keys)) {
            String url = sqs.createQueue(b -> b.queueName("announced")).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN)).attributesAsStrings()
                    .get("QueueArn");
            String topic = sns.createTopic(b -> b.name("announcements")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                    .attributes(java.util.Map.of("RawMessageDelivery", "true")));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a".repeat(1_400)));
            AwsServiceException refused = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    sns.publish(b -> b.topicArn(topic).message("p".repeat(200)));
                    Thread.sleep(100);
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "a publish over the topic owner's stored bytes was never refused");
            assertEquals("OverLimit", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(403, refused.statusCode());
            assertTrue(refused.awsErrorDetails().errorMessage().contains("storedBytes"), refused.toString());
            AwsServiceException batch = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                            software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry.builder().id("1")
                                    .message("q".repeat(200)).build())));
            assertEquals("OverLimit", batch.awsErrorDetails().errorCode(), batch.toString());
            sqs.purgeQueue(b -> b.queueUrl(url));
            awaitAdmitted(() -> sns.publish(b -> b.topicArn(topic).message("after the purge")));
        }
    }

    @Test
    void copiesFromAnotherAccountsTopicIntoAQueueOverItsOwnersStoredBytesAreRefusedRetriedAndDeadLetteredNeverStored()
            throws Exception {
        AwsCredentials publisherKeys = tenant("Broadcaster", "{\"topics\":5}");
        AwsCredentials ownerKeys = tenant("Collector", "{\"storedBytes\":1500}");
        try (SqsClient publisherSqs = admin.sqs(publisherKeys); SnsClient publisher = sns(publisherKeys);
                SqsClient owner = admin.sqs(ownerKeys)) {
            String topic = publisher.createTopic(b -> b.name("broadcasts")).topicArn();
            String spill = publisherSqs.createQueue(b -> b.queueName("broadcast-spill")).queueUrl();
            String kept = sharedQueue(owner, "collected-kept", topic);
            String spilled = sharedQueue(owner, "collected-spilled", topic);
            publisher.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf(owner, kept))
                    .attributes(Map.of("RawMessageDelivery", "true")));
            publisher.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf(owner, spilled))
                    .attributes(Map.of("RawMessageDelivery", "true", "RedrivePolicy",
                            "{\"deadLetterTargetArn\":\"" + arnOf(publisherSqs, spill) + "\"}")));
            // The owner fills its quota itself, until the edge's sums show it full (a 200-byte send is refused).
            owner.sendMessage(b -> b.queueUrl(kept).messageBody("filler-" + "f".repeat(1_393)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean full = false;
            while (!full && System.nanoTime() < deadline) {
                try {
                    owner.sendMessage(b -> b.queueUrl(kept).messageBody("filler-" + "f".repeat(193)));
                    Thread.sleep(100);
                } catch (AwsServiceException e) {
                    assertEquals("OverLimit", e.awsErrorDetails().errorCode(), e.toString());
                    full = true;
                }
            }
            assertTrue(full, "the owner's own sends were never refused");
            String fillers = depth(owner, kept);
            List<String> copies = List.of("copy-1-" + "c".repeat(193), "copy-2-" + "c".repeat(193),
                    "copy-3-" + "c".repeat(193));
            copies.forEach(copy -> publisher.publish(b -> b.topicArn(topic).message(copy)));
            // With a dead-letter queue, the copies land there once their attempts are spent; nothing in the queues.
            assertEquals(new java.util.TreeSet<>(copies), new java.util.TreeSet<>(drain(publisherSqs, spill, 3, "copy-")));
            assertEquals(fillers, depth(owner, kept), "a copy was stored over the owner's quota");
            assertEquals("0", depth(owner, spilled), "a copy was stored over the owner's quota");
            // Without one they are retried on: once the owner has room again, they arrive, none lost.
            List<String> arrived = drain(owner, kept, 3, "copy-");
            assertEquals(new java.util.TreeSet<>(copies), new java.util.TreeSet<>(arrived));
            assertEquals("0", depth(owner, spilled), "a dead-lettered copy was delivered as well");
        }
    }

    /** A queue of the owner whose Policy lets {@code topic} (of another account) send to it. */
    private static String sharedQueue(SqsClient owner, String name, String topic) {
        String url = owner.createQueue(b -> b.queueName(name)).queueUrl();
        owner.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.POLICY,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + arnOf(owner, url)
                        + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + topic + "\"}}}]}")));
        return url;
    }

    private static String arnOf(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN)).attributesAsStrings()
                .get("QueueArn");
    }

    private static String depth(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributesAsStrings().get("ApproximateNumberOfMessages");
    }

    /**
     * Receives from {@code url} and deletes everything until {@code count} bodies starting with {@code prefix} came
     * (30 s at most): the bodies that did.
     */
    private static List<String> drain(SqsClient sqs, String url, int count, String prefix) {
        List<String> bodies = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bodies.size() < count && System.nanoTime() < deadline) {
            for (var message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                if (message.body().startsWith(prefix)) {
                    bodies.add(message.body());
                }
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }

    @Test
    void anAccountAtItsInFlightQuotaIsRefusedOverLimitOnReceivesUntilItDeletesOne() throws Exception {
        AwsCredentials keys = tenant("Juggler", "{\"inFlightMessages\":2}");
        try (SqsClient sqs = admin.sqs(keys)) {
            String url = sqs.createQueue(b -> b.queueName("juggled")).queueUrl();
            for (int i = 0; i < 6; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
            }
            List<String> handles = new java.util.ArrayList<>();
            AwsServiceException refused = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(300)).messages()
                            .forEach(message -> handles.add(message.receiptHandle()));
                    Thread.sleep(100);
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "never refused with " + handles.size() + " in flight");
            assertEquals("OverLimit", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(400, refused.statusCode());
            assertTrue(handles.size() >= 2, "refused below the quota: " + handles.size() + " in flight");
            for (String handle : handles) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(handle));
            }
            awaitAdmitted(() -> sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)));
        }
    }

    /** Retries {@code call} while it is refused OverLimit (the edge's sums are up to a second old), for 20 s at most. */
    private static void awaitAdmitted(Runnable call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                call.run();
                return;
            } catch (AwsServiceException e) {
                assertEquals("OverLimit", e.awsErrorDetails().errorCode(), e.toString());
                assertTrue(System.nanoTime() < deadline, "still refused after 20 s: " + e);
                Thread.sleep(100);
            }
        }
    }

    @Test
    void anAccountAtItsTopicQuotaGetsTopicLimitExceededAndNothingIsCreated() throws Exception {
        AwsCredentials keys = tenant("Topical", "{\"topics\":1}");
        try (SnsClient sns = sns(keys)) {
            String first = sns.createTopic(b -> b.name("first")).topicArn();
            AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sns.createTopic(b -> b.name("second")));
            assertEquals("TopicLimitExceeded", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(403, refused.statusCode());
            assertEquals(first, sns.createTopic(b -> b.name("first")).topicArn(), "an existing topic's create answers");
            assertEquals(List.of(first), sns.listTopics().topics().stream().map(topic -> topic.topicArn()).toList());
        }
    }

    @Test
    void topicCreatesRacingForTheLastSlotsThroughSeveralClientsEndWithExactlyTheQuota() throws Exception {
        AwsCredentials keys = tenant("Raced", "{\"topics\":3}");
        int queuesBefore = queueCount();
        Map<String, Long> outcomes = race(8, () -> sns(keys), (sns, i) -> sns.createTopic(b -> b.name("raced-" + i)),
                SnsClient::listTopics);
        assertEquals(Map.of("created", 3L, "TopicLimitExceeded 403", 5L), outcomes);
        try (SnsClient sns = sns(keys)) {
            assertEquals(3, sns.listTopics().topics().size());
        }
        assertEquals(queuesBefore + 3, queueCount(), "one outbox per created topic: a refused create left none");
    }

    @Test
    void queueCreatesRacingForTheLastSlotsThroughSeveralClientsEndWithExactlyTheQuotaAndADeleteFreesOne() throws Exception {
        AwsCredentials keys = tenant("QueueRace", "{\"queues\":3}");
        int queuesBefore = queueCount();
        Map<String, Long> outcomes = race(8, () -> admin.sqs(keys), (sqs, i) -> sqs.createQueue(b -> b.queueName("raced-" + i)),
                SqsClient::listQueues);
        assertEquals(Map.of("created", 3L, "OverLimit 400", 5L), outcomes);
        assertEquals(queuesBefore + 3, queueCount(), "a refused create wrote no queue");
        try (SqsClient sqs = admin.sqs(keys)) {
            List<String> urls = sqs.listQueues().queueUrls();
            assertEquals(3, urls.size(), urls.toString());
            sqs.deleteQueue(b -> b.queueUrl(urls.get(0)));
            sqs.createQueue(b -> b.queueName("after-a-delete"));
            AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sqs.createQueue(b -> b.queueName("one-too-many")));
            assertEquals("OverLimit", refused.awsErrorDetails().errorCode(), refused.toString());
        }
    }

    @Test
    void aSlotClaimedByACreateThatCrashedBeforeCreatingIsFreedOnceOldAndRacingCreatesStillEndAtTheQuota()
            throws Exception {
        AwsCredentials keys = tenant("Leaky", "{\"queues\":4}");
        String account;
        try (SqsClient sqs = admin.sqs(keys)) {
            account = dev.sluice.clientsdk.QueueUrl.parse(sqs.createQueue(b -> b.queueName("real")).queueUrl())
                    .orElseThrow().accountId();
        }
        // Two claims as a create leaves them when its node dies between the claim and the create: one long ago, one
        // just now (its create may still be running, so it keeps its slot).
        long now = System.currentTimeMillis();
        dev.sluice.raftstore.catalog.Catalog catalog = server.node().catalog();
        catalog.put(dev.sluice.broker.service.QueueCountQueueClient.SLOTS, account + "/crashed-long-ago",
                dev.sluice.raftstore.catalog.CountSlots.claimedAt(now - TimeUnit.MINUTES.toMillis(10)))
                .get(10, TimeUnit.SECONDS);
        catalog.put(dev.sluice.broker.service.QueueCountQueueClient.SLOTS, account + "/claimed-just-now",
                dev.sluice.raftstore.catalog.CountSlots.claimedAt(now)).get(10, TimeUnit.SECONDS);
        Map<String, Long> outcomes = race(4, () -> admin.sqs(keys), (sqs, i) -> sqs.createQueue(b -> b.queueName("after-" + i)),
                SqsClient::listQueues);
        assertEquals(Map.of("created", 2L, "OverLimit 400", 2L), outcomes, "the old claim's slot was not freed once");
        try (SqsClient sqs = admin.sqs(keys)) {
            assertEquals(3, sqs.listQueues().queueUrls().size(), "one real queue and the two creates that got a slot");
        }
        assertTrue(catalog.get(dev.sluice.broker.service.QueueCountQueueClient.SLOTS, account + "/crashed-long-ago")
                .get(10, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void subscribesRacingForTheLastSlotsEndWithExactlyTheQuotaAndAnUnsubscribeFreesOne() throws Exception {
        AwsCredentials keys = tenant("SubscribeRace", "{\"subscriptions\":3}");
        String topic;
        List<String> queueArns = new java.util.ArrayList<>();
        try (SnsClient sns = sns(keys); SqsClient sqs = admin.sqs(keys)) {
            topic = sns.createTopic(b -> b.name("race-news")).topicArn();
            for (int i = 0; i < 9; i++) {
                String url = sqs.createQueue(b -> b.queueName("race-reader-" + queueArns.size())).queueUrl();
                queueArns.add(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                        .attributesAsStrings().get("QueueArn"));
            }
        }
        Map<String, Long> outcomes = race(8, () -> sns(keys),
                (sns, i) -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(i))), SnsClient::listTopics);
        assertEquals(Map.of("created", 3L, "SubscriptionLimitExceeded 403", 5L), outcomes);
        try (SnsClient sns = sns(keys)) {
            var subscriptions = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions();
            assertEquals(3, subscriptions.size(), subscriptions.toString());
            sns.unsubscribe(b -> b.subscriptionArn(subscriptions.get(0).subscriptionArn()));
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(8)));
            AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(subscriptions.get(0).endpoint())));
            assertEquals("SubscriptionLimitExceeded", refused.awsErrorDetails().errorCode(), refused.toString());
        }
    }

    @Test
    void aSubscriptionSlotClaimedBeforeACrashIsFreedOnceOldAndRacingSubscribesStillEndAtTheQuota() throws Exception {
        AwsCredentials keys = tenant("LeakySubscriber", "{\"subscriptions\":3}");
        String topic;
        String account;
        List<String> queueArns = new java.util.ArrayList<>();
        try (SnsClient sns = sns(keys); SqsClient sqs = admin.sqs(keys)) {
            topic = sns.createTopic(b -> b.name("leaky-news")).topicArn();
            account = topic.split(":")[4];
            for (int i = 0; i < 4; i++) {
                String url = sqs.createQueue(b -> b.queueName("leaky-reader-" + queueArns.size())).queueUrl();
                queueArns.add(arnOf(sqs, url));
            }
        }
        long now = System.currentTimeMillis();
        dev.sluice.raftstore.catalog.Catalog catalog = server.node().catalog();
        String slots = dev.sluice.notify.service.NotifyCatalog.SUBSCRIPTION_SLOTS;
        catalog.put(slots, account + "/crashed-long-ago", dev.sluice.raftstore.catalog.CountSlots.claimedAt(
                now - TimeUnit.MINUTES.toMillis(10))).get(10, TimeUnit.SECONDS);
        catalog.put(slots, account + "/claimed-just-now", dev.sluice.raftstore.catalog.CountSlots.claimedAt(now))
                .get(10, TimeUnit.SECONDS);
        Map<String, Long> outcomes = race(4, () -> sns(keys),
                (sns, i) -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(i))), SnsClient::listTopics);
        assertEquals(Map.of("created", 2L, "SubscriptionLimitExceeded 403", 2L), outcomes,
                "the old claim's slot was not freed once");
        try (SnsClient sns = sns(keys)) {
            assertEquals(2, sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().size());
        }
        assertTrue(catalog.get(slots, account + "/crashed-long-ago").get(10, TimeUnit.SECONDS).isEmpty());
    }

    /** A call of one racer with its own client; what it answers does not matter, only whether the SDK threw. */
    @FunctionalInterface
    private interface Attempt<C> {
        void run(C client, int index);
    }

    /**
     * {@code racers} clients, each signed in with {@code warmUp}, then all released at once to make one {@code attempt}
     * each: how many answered "created" and how many each error code and status.
     */
    private static <C extends AutoCloseable> Map<String, Long> race(int racers, java.util.function.Supplier<C> clients,
            Attempt<C> attempt, java.util.function.Consumer<C> warmUp) throws Exception {
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(racers);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int index = i;
                answers.add(callers.submit(() -> {
                    try (C client = clients.get()) {
                        warmUp.accept(client);
                        together.await(30, TimeUnit.SECONDS);
                        attempt.run(client, index);
                        return "created";
                    } catch (AwsServiceException refused) {
                        return refused.awsErrorDetails().errorCode() + " " + refused.statusCode();
                    }
                }));
            }
            Map<String, Long> outcomes = new java.util.TreeMap<>();
            for (var answer : answers) {
                outcomes.merge(answer.get(60, TimeUnit.SECONDS), 1L, Long::sum);
            }
            return outcomes;
        } finally {
            callers.shutdownNow();
        }
    }

    /** Queues in the one data group, internal ones (topic outboxes) included. */
    private static int queueCount() {
        return ((dev.sluice.broker.statemachine.QueueEngine) server.node().servingEngine(0))
                .read(dev.sluice.broker.core.QueueBook::queueCount);
    }

    @Test
    void anAccountAtItsMappingQuotaGetsResourceConflictAndNothingIsCreated() throws Exception {
        AwsCredentials keys = tenant("Mapped", "{\"eventSourceMappings\":1}");
        AdminApi rest = new AdminApi(server.httpPort(), keys);
        assertEquals(201, rest.call("POST", "/v1/functions",
                "{\"FunctionName\":\"fn\",\"InvokeUrl\":\"http://127.0.0.1:9/invoke\"}").status());
        String queueArn;
        try (SqsClient sqs = admin.sqs(keys)) {
            String url = sqs.createQueue(b -> b.queueName("source")).queueUrl();
            queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
        }
        String mapping = "{\"FunctionName\":\"fn\",\"EventSourceArn\":\"" + queueArn + "\",\"Enabled\":false}";
        AdminApi.Answer first = rest.call("POST", "/v1/event-source-mappings", mapping);
        assertEquals(202, first.status(), first.text());
        AdminApi.Answer refused = rest.call("POST", "/v1/event-source-mappings", mapping);
        assertEquals(409, refused.status(), refused.text());
        assertEquals("ResourceConflictException", refused.code(), refused.text());
        AdminApi.Answer listed = rest.call("GET", "/v1/event-source-mappings", null);
        assertEquals(1, listed.body().get("EventSourceMappings").size(), listed.text());
    }

    @Test
    void mappingCreatesRacingForTheLastSlotsEndWithExactlyTheQuotaAndADeleteFreesOne() throws Exception {
        AwsCredentials keys = tenant("MappingRace", "{\"eventSourceMappings\":3}");
        AdminApi rest = new AdminApi(server.httpPort(), keys);
        assertEquals(201, rest.call("POST", "/v1/functions",
                "{\"FunctionName\":\"fn\",\"InvokeUrl\":\"http://127.0.0.1:9/invoke\"}").status());
        // A mapping per queue: Lambda refuses a second mapping of one function to one queue.
        List<String> mappings = new java.util.ArrayList<>();
        try (SqsClient sqs = admin.sqs(keys)) {
            for (int i = 0; i < 10; i++) {
                String name = "race-source-" + i;
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                        .attributesAsStrings().get("QueueArn");
                mappings.add("{\"FunctionName\":\"fn\",\"EventSourceArn\":\"" + queueArn + "\",\"Enabled\":false}");
            }
        }
        int racers = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(racers);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(racers);
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        try {
            List<java.util.concurrent.Future<AdminApi.Answer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String mapping = mappings.get(i);
                answers.add(callers.submit(() -> {
                    AdminApi own = new AdminApi(server.httpPort(), keys);
                    together.await(30, TimeUnit.SECONDS);
                    return own.call("POST", "/v1/event-source-mappings", mapping);
                }));
            }
            for (var answer : answers) {
                AdminApi.Answer done = answer.get(60, TimeUnit.SECONDS);
                outcomes.merge(done.status() + (done.status() == 202 ? "" : " " + done.code()), 1L, Long::sum);
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(Map.of("202", 3L, "409 ResourceConflictException", 5L), outcomes);
        com.fasterxml.jackson.databind.JsonNode listed = rest.call("GET", "/v1/event-source-mappings", null).body()
                .get("EventSourceMappings");
        assertEquals(3, listed.size(), listed.toString());
        AdminApi.Answer full = rest.call("POST", "/v1/event-source-mappings", mappings.get(8));
        assertEquals(409, full.status(), full.text());
        assertEquals(202, rest.call("DELETE", "/v1/event-source-mappings/" + listed.get(0).get("UUID").asText(), null)
                .status());
        AdminApi.Answer freed = rest.call("POST", "/v1/event-source-mappings", mappings.get(9));
        assertEquals(202, freed.status(), freed.text());
    }

    @Test
    void anAccountAtItsSubscriptionQuotaGetsSubscriptionLimitExceededAndNothingIsCreated() throws Exception {
        AwsCredentials keys = tenant("Subscribed", "{\"subscriptions\":1}");
        try (SnsClient sns = sns(keys); SqsClient sqs = admin.sqs(keys)) {
            String topic = sns.createTopic(b -> b.name("news")).topicArn();
            List<String> queueArns = new java.util.ArrayList<>();
            for (String name : List.of("reader-1", "reader-2")) {
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                queueArns.add(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                        .attributesAsStrings().get("QueueArn"));
            }
            String first = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(0))).subscriptionArn();
            AwsServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(AwsServiceException.class,
                    () -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(1))));
            assertEquals("SubscriptionLimitExceeded", refused.awsErrorDetails().errorCode(), refused.toString());
            assertEquals(403, refused.statusCode());
            assertEquals(first, sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArns.get(0)))
                    .subscriptionArn(), "an existing subscription's Subscribe answers");
            assertEquals(1, sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().size());
        }
    }

    /** An SQS client with the SDK's default retries. */
    private static SqsClient sqs(AwsCredentials keys) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.httpPort()))
                .region(Region.US_EAST_1).credentialsProvider(credentials(keys))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** An SNS client without retries. */
    private static SnsClient sns(AwsCredentials keys) {
        return SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.httpPort()))
                .region(Region.US_EAST_1).credentialsProvider(credentials(keys))
                .overrideConfiguration(config -> config.retryStrategy(
                        software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static StaticCredentialsProvider credentials(AwsCredentials keys) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()));
    }
}
