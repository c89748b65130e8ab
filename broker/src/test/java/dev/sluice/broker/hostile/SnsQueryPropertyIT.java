package dev.sluice.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.filter.PatternJson;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;

/**
 * Generated SNS Query requests against a real server: random actions with random parameter sets (missing,
 * huge, NULs, invalid UTF-8 and broken escapes, odd list indexes, generated filter policies and numbers). Every
 * answer is safe (no 5xx, no Java internals, well-formed XML); definitely-wrong input gets SNS's code.
 */
@Timeout(120)
class SnsQueryPropertyIT {
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:fuzz-target";
    private static final List<String> ACTIONS = List.of("CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes",
            "SetTopicAttributes", "Subscribe", "ConfirmSubscription", "Unsubscribe", "ListSubscriptions",
            "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes", "Publish",
            "PublishBatch", "TagResource", "UntagResource", "ListTagsForResource", "NoSuchAction", "");
    private static final List<String> NAMES = List.of("TopicArn", "TargetArn", "Name", "Protocol", "Endpoint",
            "SubscriptionArn", "AttributeName", "AttributeValue", "Message", "Subject", "MessageStructure", "Token",
            "NextToken", "ResourceArn", "ReturnSubscriptionArn", "MessageGroupId", "MessageDeduplicationId");
    private static final List<String> INDEXED = List.of("Attributes.entry.%s.key", "Attributes.entry.%s.value",
            "MessageAttributes.entry.%s.Name", "MessageAttributes.entry.%s.Value.DataType",
            "MessageAttributes.entry.%s.Value.StringValue", "MessageAttributes.entry.%s.Value.BinaryValue",
            "Tags.member.%s.Key", "Tags.member.%s.Value", "TagKeys.member.%s",
            "PublishBatchRequestEntries.member.%s.Id", "PublishBatchRequestEntries.member.%s.Message");
    static SqsTestServer server;
    static RawHttp http;
    static String topic;
    static String subscription;
    /** The other properties' own topic and subscription: the random requests cannot name them, so cannot delete them. */
    static String checkedTopic;
    static String filtered;

    @BeforeContainer
    static void start() throws Exception {
        server = SqsTestServer.start(Files.createTempDirectory("sns-property"));
        http = new RawHttp(server.port());
        server.sqs().createQueue(b -> b.queueName("fuzz-target"));
        try (var sns = dev.sluice.broker.sns.SnsClients.client(server.port())) {
            topic = sns.createTopic(b -> b.name("fuzz")).topicArn();
            subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(QUEUE_ARN)
                    .returnSubscriptionArn(true)).subscriptionArn();
            checkedTopic = sns.createTopic(b -> b.name("checked-" + UUID.randomUUID())).topicArn();
            filtered = sns.subscribe(b -> b.topicArn(checkedTopic).protocol("sqs").endpoint(QUEUE_ARN)
                    .returnSubscriptionArn(true)).subscriptionArn();
        }
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 100)
    void anySnsRequestGetsASafeAnswer(@ForAll("requests") byte[] body) throws Exception {
        RawHttp.Answer answer = SnsForms.post(http, body);
        AnswerChecks.assertSafe(answer, Wire.XML, abbreviated(body));
    }

    @Property(tries = 60)
    void aGeneratedFilterPolicyIsAcceptedOrRefusedAsInvalidParameter(@ForAll("policies") String policy,
            @ForAll boolean bodyScope) throws Exception {
        RawHttp.Answer answer = SnsForms.post(http, SnsForms.form("Action", "SetSubscriptionAttributes",
                "SubscriptionArn", filtered, "AttributeName", "FilterPolicy", "AttributeValue", policy));
        String request = "FilterPolicy " + (policy.length() > 300 ? policy.substring(0, 300) : policy);
        AnswerChecks.assertSafe(answer, Wire.XML, request);
        if (answer.status() != 200) {
            assertEquals("InvalidParameter", AnswerChecks.errorCode(answer, Wire.XML), request + " -> " + answer.text());
        }
        if (policy.matches(".*\\b(1e400|-1e400|1E309|1e99999999999)\\b.*") && policy.trim().startsWith("{")) {
            assertTrue(answer.status() == 400, "an out-of-range number is refused: " + request);
        }
    }

    @Property(tries = 60)
    void aNumberAttributeIsAcceptedOrParameterValueInvalid(@ForAll("numbers") String number) throws Exception {
        RawHttp.Answer answer = SnsForms.post(http, SnsForms.form("Action", "Publish", "TopicArn", checkedTopic,
                "Message", "m", "MessageAttributes.entry.1.Name", "n", "MessageAttributes.entry.1.Value.DataType",
                "Number", "MessageAttributes.entry.1.Value.StringValue", number));
        AnswerChecks.assertSafe(answer, Wire.XML, number);
        if (answer.status() != 200) {
            assertEquals("ParameterValueInvalid", AnswerChecks.errorCode(answer, Wire.XML), number + " -> " + answer.text());
        }
    }

    @Provide
    Arbitrary<String> policies() {
        return PatternJson.texts();
    }

    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(PatternJson.number(), Arbitraries.strings().withChars("0123456789.eE+- x").ofMaxLength(30));
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<String> pair = Combinators.combine(name(), value()).as((name, value) -> name + "=" + value);
        return Combinators.combine(Arbitraries.of(ACTIONS), pair.list().ofMaxSize(8)).as((action, pairs) -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("Version=2010-03-31&Action=" + encode(action)).getBytes(StandardCharsets.ISO_8859_1));
            pairs.forEach(p -> body.writeBytes(("&" + p).getBytes(StandardCharsets.ISO_8859_1)));
            return body.toByteArray();
        });
    }

    private static Arbitrary<String> name() {
        Arbitrary<String> index = Arbitraries.of("1", "2", "0", "-1", "10", "11", "99999999999", "x", "", "1.5", "%00");
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(NAMES).map(SnsQueryPropertyIT::encode)),
                Tuple.of(5, Combinators.combine(Arbitraries.of(INDEXED), index).as((pattern, n) -> pattern.formatted(n))),
                Tuple.of(1, Arbitraries.of("%zz", "%", "a%00b", "%C3%28", "%FF", "")));
    }

    /** An already-encoded value: ordinary text, ARNs, policies and numbers, or raw bytes no client would send. */
    private static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(topic, subscription, QUEUE_ARN, "sqs", "https", "lambda", "http://127.0.0.1:1/x",
                        "FilterPolicy", "DeliveryPolicy", "RedrivePolicy", "DisplayName", "Policy", "String", "Number",
                        "Binary", "String.Array", "true", "json", "fuzz", "fuzz.fifo").map(SnsQueryPropertyIT::encode)),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(50).map(SnsQueryPropertyIT::encode)),
                Tuple.of(2, PatternJson.texts().map(SnsQueryPropertyIT::encode)),
                Tuple.of(1, PatternJson.number().map(SnsQueryPropertyIT::encode)),
                Tuple.of(2, Arbitraries.of("%00", "a%00b", "%C3%28", "%ED%A0%80", "%FF%FE", "%zz", "%", "%E2%82",
                        "\u00ff\u00fe", "%EF%BF%BF", "+", "%0B")),
                Tuple.of(1, Arbitraries.integers().between(1_000, 300_000)
                        .withDistribution(net.jqwik.api.RandomDistribution.biased()).map(length -> "x".repeat(length))),
                Tuple.of(1, Arbitraries.integers().between(1, 200).map(depth -> encode("{\"a\":".repeat(depth) + "[1]"
                        + "}".repeat(depth)))));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviated(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + " bytes)";
    }

}
