package dev.sluice.broker.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.service.AccountQueueClient;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.SendMessageRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one read of a queue's Policy: the SQS edge and SNS's topic-to-queue check read and judge it alike. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueuePoliciesTest {
    private static final String DEFAULT_ACCOUNT = "000000000000";
    private static final String OWNER = "111111111111";
    private static final String SENDER = "222222222222";
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:" + OWNER + ":shared";
    private static final String QUEUE_URL = "http://127.0.0.1:9324/" + OWNER + "/shared";
    private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:" + SENDER + ":alerts";
    private static final String GRANT = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + SENDER + "\",\"Service\":"
            + "\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE_ARN + "\"}";
    private static final String DENY_ALL_SENDS = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\","
            + "\"Resource\":\"" + QUEUE_ARN + "\"}";

    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PolicyAccessCheck check = new PolicyAccessCheck(KeyPolicies.NONE, new PolicyCache(100));
    private final QueuePolicies queuePolicies = new QueuePolicies(name -> {
        reads.add(name);
        return CompletableFuture.completedFuture(Optional.ofNullable(stored.get(name)));
    }, check, DEFAULT_ACCOUNT);
    private final TopicPolicyAccess topics = new TopicPolicyAccess(check, caller -> new Caller(SENDER, null, false),
            account -> 0, account -> 0, (account, bytes) -> null, () -> CompletableFuture.completedFuture(false),
            queuePolicies);

    @Test
    void aDenyTheSqsEdgeHonoursRefusesTheTopicTooThroughTheSameRead() {
        stored.put(OWNER + "/shared", policy(GRANT));
        assertTrue(topics.topicMaySendTo(TOPIC_ARN, SENDER, QUEUE_ARN).join(), "the grant lets the topic send");
        assertEquals(List.of(OWNER + "/shared"), reads, "the topic's check read the queue's Policy by its name");

        stored.put(OWNER + "/shared", policy(GRANT + "," + DENY_ALL_SENDS));
        AccountQueueClient sender = new AccountQueueClient(null, new Caller(SENDER, "AKIDSENDER", false),
                RequestContext.NONE, queuePolicies.access(), queuePolicies::of, "us-east-1", DEFAULT_ACCOUNT);
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> sender.sendMessage(new SendMessageRequest(QUEUE_URL, "m", null, Map.of(), Map.of(), null, null))
                        .join());
        assertEquals("AccessDenied", ((SqsException) refused.getCause()).error().code(), refused.toString());
        assertFalse(topics.topicMaySendTo(TOPIC_ARN, SENDER, QUEUE_ARN).join(), "the Deny refuses the topic as well");
        assertEquals(3, reads.size(), "every check read the Policy through the one reader: " + reads);
    }

    @Test
    void aMissingQueueOrAnArnNamingNoQueueLetsNoTopicSend() {
        assertFalse(topics.topicMaySendTo(TOPIC_ARN, SENDER, QUEUE_ARN).join());
        assertFalse(topics.topicMaySendTo(TOPIC_ARN, SENDER, "not-an-arn").join());
    }

    private static String policy(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }
}
