package dev.sluice.broker.hostile;

import static dev.sluice.broker.hostile.AnswerChecks.assertError;
import static dev.sluice.broker.hostile.SnsForms.form;
import static dev.sluice.broker.hostile.SnsForms.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Hostile input at the SNS Query edge, sent as exact bytes: out-of-range numbers in filter policies and number
 * attributes, NULs and other characters SNS refuses, and oversized or malformed attributes that used to be stored.
 * Every answer is a 400 with SNS's code, in SNS's XML, naming no Java internals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnsHostileInputIT {
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:hostile-target";
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;
    static RawHttp http;
    static String topic;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
        http = new RawHttp(server.port());
        server.sqs().createQueue(b -> b.queueName("hostile-target"));
        topic = sns.createTopic(b -> b.name("hostile")).topicArn();
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    private static void assertInvalid(String code, String body) throws Exception {
        assertError(post(http, body), Wire.XML, 400, code, body.length() > 300 ? body.substring(0, 300) : body);
    }

    @Test
    void filterPolicyNumbersBeyondDoubleRangeAreInvalidParameterInBothScopes() throws Exception {
        for (String number : new String[] {"1e400", "-1e400", "1E309", "9".repeat(2000)}) {
            for (String scope : new String[] {"MessageAttributes", "MessageBody"}) {
                assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "sqs",
                        "Endpoint", QUEUE_ARN, "Attributes.entry.1.key", "FilterPolicy",
                        "Attributes.entry.1.value", "{\"price\":[{\"numeric\":[\">\"," + number + "]}]}",
                        "Attributes.entry.2.key", "FilterPolicyScope", "Attributes.entry.2.value", scope));
            }
        }
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(QUEUE_ARN)
                .returnSubscriptionArn(true)).subscriptionArn();
        assertInvalid("InvalidParameter", form("Action", "SetSubscriptionAttributes", "SubscriptionArn", subscription,
                "AttributeName", "FilterPolicy", "AttributeValue", "{\"price\":[1e400]}"));
        assertInvalid("InvalidParameter", form("Action", "SetSubscriptionAttributes", "SubscriptionArn", subscription,
                "AttributeName", "FilterPolicy", "AttributeValue", "{\"price\":[{\"anything-but\":[-1e400]}]}"));
    }

    @Test
    void numberAttributesOutOfSnsRangeAreParameterValueInvalid() throws Exception {
        for (String number : new String[] {"1e400", "-1e400", "1e127", "9".repeat(5000)}) {
            assertInvalid("ParameterValueInvalid", form("Action", "Publish", "TopicArn", topic, "Message", "hello",
                    "MessageAttributes.entry.1.Name", "n", "MessageAttributes.entry.1.Value.DataType", "Number",
                    "MessageAttributes.entry.1.Value.StringValue", number));
        }
    }

    @Test
    void messagesWithNulOrOtherCharactersSnsRefusesAreInvalidParameter() throws Exception {
        String base = form("Action", "Publish", "TopicArn", topic);
        for (String message : new String[] {"a%00b", "bell%07", "%EF%BF%BF", "x%0B"}) {
            RawHttp.Answer answer = post(http, base + "&Message=" + message);
            AnswerChecks.assertSafe(answer, Wire.XML, message);
            assertEquals(400, answer.status(), message + " -> " + answer.text());
        }
        assertInvalid("InvalidParameter", base + "&Message=a%00b");
        assertInvalid("ParameterValueInvalid", base + "&Message=ok&MessageAttributes.entry.1.Name=s"
                + "&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=x%00y");
    }

    @Test
    void oversizedOrMalformedSubscriptionAttributesAreNotStored() throws Exception {
        String deliveryPolicy = "{\"healthyRetryPolicy\":{\"numRetries\":3},\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
        assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "https",
                "Endpoint", "https://example.com/hook", "Attributes.entry.1.key", "DeliveryPolicy",
                "Attributes.entry.1.value", deliveryPolicy));
        assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "https",
                "Endpoint", "https://" + "a".repeat(5000) + ".example.com/hook"));
        assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "https",
                "Endpoint", "https://" + "abcdefghij.".repeat(30) + "example.com/hook"));
        for (String deadLetters : new String[] {"arn:aws:sqs:us-east-1:000000000000:../../etc",
                "arn:aws:sqs:us-east-1:000000000000:" + "q".repeat(81), "arn:aws:sqs:us-east-1:000000000000:a/b",
                "arn:aws:sqs:us-east-1:000000000000:"}) {
            assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "sqs",
                    "Endpoint", QUEUE_ARN, "Attributes.entry.1.key", "RedrivePolicy",
                    "Attributes.entry.1.value", "{\"deadLetterTargetArn\":\"" + deadLetters + "\"}"));
        }
        assertInvalid("InvalidParameter", form("Action", "Subscribe", "TopicArn", topic, "Protocol", "sqs",
                "Endpoint", "arn:aws:sqs:us-east-1:000000000000:../hostile-target"));
    }

    @Test
    void oversizedOrControlCharacterTopicAttributesAndTagsAreNotStored() throws Exception {
        assertInvalid("InvalidParameter", form("Action", "SetTopicAttributes", "TopicArn", topic,
                "AttributeName", "DisplayName", "AttributeValue", "a\u0000b"));
        assertInvalid("InvalidParameter", form("Action", "SetTopicAttributes", "TopicArn", topic,
                "AttributeName", "Policy", "AttributeValue", "{\"Version\":\"2012-10-17\",\"pad\":\"" + "x".repeat(40 * 1024)
                        + "\"}"));
        assertInvalid("InvalidParameter", form("Action", "SetTopicAttributes", "TopicArn", topic,
                "AttributeName", "DeliveryPolicy", "AttributeValue", "{\"http\":{},\"pad\":\"" + "x".repeat(300 * 1024)
                        + "\"}"));
        assertInvalid("InvalidParameter", form("Action", "CreateTopic", "Name", "hostile-tags",
                "Tags.member.1.Key", "k", "Tags.member.1.Value", "v\u0000"));
        assertInvalid("InvalidParameter", form("Action", "TagResource", "ResourceArn", topic,
                "Tags.member.1.Key", "k\u0001", "Tags.member.1.Value", "v"));
    }

    @Test
    void listingsShowAnUnconfirmedSubscriptionAsPendingConfirmation() {
        String pendingTopic = sns.createTopic(b -> b.name("hostile-pending")).topicArn();
        assertEquals("pending confirmation", sns.subscribe(b -> b.topicArn(pendingTopic).protocol("https")
                .endpoint("https://example.com/never-confirms")).subscriptionArn());
        assertTrue(sns.listSubscriptionsByTopic(b -> b.topicArn(pendingTopic)).subscriptions().stream()
                .allMatch(s -> s.subscriptionArn().equals("PendingConfirmation")));
        assertTrue(sns.listSubscriptions().subscriptions().stream().anyMatch(s -> s.topicArn().equals(pendingTopic)
                && s.subscriptionArn().equals("PendingConfirmation")));
        assertFalse(sns.listSubscriptions().subscriptions().stream()
                .anyMatch(s -> s.subscriptionArn().equals("pending confirmation")));
    }

    @Test
    void anSnsRequestWithUnreadableQueryParametersGetsAnSnsError() throws Exception {
        // (A form body with a broken escape is refused by the HTTP layer before any route reads it.)
        for (String query : new String[] {"Version=2010-03-31&Action=Publish&Message=%zz", "Action=Publish&Message=%",
                "Action=ListTopics&NextToken=%G1"}) {
            RawHttp.Answer answer = http.send("GET", "/?" + query, java.util.List.of(), new byte[0]);
            AnswerChecks.assertSafe(answer, Wire.XML, query);
            assertEquals(400, answer.status(), query + " -> " + answer.text());
            assertTrue(answer.text().contains("http://sns.amazonaws.com/doc/2010-03-31/"), query + " -> " + answer.text());
        }
    }

    @Test
    void anSnsParameterSentTwiceIsInvalidQueryParameterNotAnInternalError() throws Exception {
        String once = form("Action", "ListTopics");
        for (String[] request : new String[][] {{"/?" + once + "&Action=ListTopics", ""},
                {"/?" + once + "&%41ction=ListTopics", ""}, {"/", once + "&NextToken=a&NextToken=b"},
                {"/?Action=ListTopics", "Action=ListTopics"}}) {
            RawHttp.Answer answer = http.send(request[1].isEmpty() ? "GET" : "POST", request[0], request[1].isEmpty()
                    ? java.util.List.of() : java.util.List.of(java.util.Map.entry("Content-Type",
                    "application/x-www-form-urlencoded")), request[1]);
            assertError(answer, Wire.XML, 400, "InvalidQueryParameter", String.join(" ", request));
            assertTrue(answer.text().contains("http://sns.amazonaws.com/doc/2010-03-31/"), answer.text());
        }
    }
}
