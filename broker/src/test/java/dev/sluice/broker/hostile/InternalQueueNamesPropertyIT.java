package dev.sluice.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Every SQS action, in both protocols, naming an internal queue (a topic's outbox, a webhook subscription's
 * delivery queue, an internal name no queue has) by URL, name or ARN, in generated spellings (letter case,
 * percent-encoding, a trailing slash, another host, account, region or partition, a queue-path Query request),
 * answers exactly what it answers for a tenant queue of the same spelling that does not exist, and leaves the
 * internal queue as it was.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InternalQueueNamesPropertyIT {
    private static final String ACCOUNT = "000000000000";
    /** As long as {@link ReservedQueueNames#PREFIX}, so a case pattern lands on the same letters of both names. */
    private static final String ABSENT_PREFIX = "tenant-absent-q-";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path data;
    static SqsTestServer server;
    static RawHttp http;
    static List<String> internalNames;

    @BeforeContainer
    static void start() throws Exception {
        data = Files.createTempDirectory("internal-names");
        server = SqsTestServer.start(data, config -> config
                .withNotifications(new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))));
        http = new RawHttp(server.port());
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test"))).build()) {
            String topic = sns.createTopic(b -> b.name("names")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://127.0.0.1:9/never"));
        }
        QueueClient internal = server.sluice().queueClient();
        List<String> existing = internal.listQueues(new ListQueuesRequest(ReservedQueueNames.PREFIX, null, null)).join()
                .queueUrls().stream().map(url -> url.substring(url.lastIndexOf('/') + 1)).sorted().toList();
        assertEquals(2, existing.size(), existing.toString());
        internalNames = new ArrayList<>(existing);
        internalNames.add(ReservedQueueNames.PREFIX + "topic-00000000-0000-0000-0000-000000000000");
        // A tenant's dead-letter queue and its source: the other end of a move task or a redrive.
        internal.createQueue(new CreateQueueRequest("names-dlq", Map.of(), Map.of())).join();
        String main = internal.createQueue(new CreateQueueRequest("names-main", Map.of(), Map.of())).join().queueUrl();
        internal.setQueueAttributes(new SetQueueAttributesRequest(main, Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arnOf("names-dlq") + "\",\"maxReceiveCount\":3}"))).join();
    }

    @AfterContainer
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static String arnOf(String queueName) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queueName;
    }

    enum Protocol { JSON, QUERY, QUERY_EVERY_BYTE_ENCODED, QUERY_ON_QUEUE_PATH }

    /** How a request spells the queue: applied alike to the internal name and to its absent twin. */
    enum Spelling {
        AS_IS, PERCENT_ENCODED_DASHES, TRAILING_SLASH, OTHER_HOST, OTHER_ACCOUNT, OTHER_REGION, OTHER_PARTITION, BARE_PATH;

        String url(String name, int port) {
            return switch (this) {
                case PERCENT_ENCODED_DASHES -> "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + name.replace("-", "%2D");
                case TRAILING_SLASH -> "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + name + "/";
                case OTHER_HOST -> "https://sqs.us-east-1.amazonaws.com/" + ACCOUNT + "/" + name;
                case OTHER_ACCOUNT -> "http://127.0.0.1:" + port + "/123456789012/" + name;
                case BARE_PATH -> "/" + ACCOUNT + "/" + name;
                default -> "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + name;
            };
        }

        String arn(String name) {
            return switch (this) {
                case PERCENT_ENCODED_DASHES -> arnOf(name.replace("-", "%2D"));
                case OTHER_ACCOUNT -> "arn:aws:sqs:us-east-1:123456789012:" + name;
                case OTHER_REGION -> "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":" + name;
                case OTHER_PARTITION -> "arn:aws-cn:sqs:us-east-1:" + ACCOUNT + ":" + name;
                case TRAILING_SLASH -> arnOf(name) + "/";
                default -> arnOf(name);
            };
        }

        String name(String name) {
            return this == PERCENT_ENCODED_DASHES ? name.replace("-", "%2D") : this == TRAILING_SLASH ? name + "/" : name;
        }
    }

    /** An SQS action and the parameters (JSON 1.0 members) it takes around the queue reference. */
    enum Action {
        GET_QUEUE_URL, GET_QUEUE_ATTRIBUTES, SET_QUEUE_ATTRIBUTES, SEND_MESSAGE, SEND_MESSAGE_BATCH, RECEIVE_MESSAGE,
        DELETE_MESSAGE, DELETE_MESSAGE_BATCH, CHANGE_MESSAGE_VISIBILITY, CHANGE_MESSAGE_VISIBILITY_BATCH, PURGE_QUEUE,
        DELETE_QUEUE, TAG_QUEUE, UNTAG_QUEUE, LIST_QUEUE_TAGS, SEND_MESSAGE_DELAYED_TOO_LONG,
        SEND_MESSAGE_BATCH_DELAYED_TOO_LONG, LIST_DEAD_LETTER_SOURCE_QUEUES,
        START_MOVE_TASK_FROM, START_MOVE_TASK_TO, LIST_MOVE_TASKS, REDRIVE_TO, CREATE_QUEUE_REDRIVING_TO;

        String wireName() {
            return switch (this) {
                case START_MOVE_TASK_FROM, START_MOVE_TASK_TO -> "StartMessageMoveTask";
                case LIST_MOVE_TASKS -> "ListMessageMoveTasks";
                case REDRIVE_TO -> "SetQueueAttributes";
                case CREATE_QUEUE_REDRIVING_TO -> "CreateQueue";
                case SEND_MESSAGE_DELAYED_TOO_LONG -> "SendMessage";
                case SEND_MESSAGE_BATCH_DELAYED_TOO_LONG -> "SendMessageBatch";
                default -> Stream.of(name().split("_")).map(word -> word.charAt(0) + word.substring(1).toLowerCase())
                        .reduce("", String::concat);
            };
        }

        boolean takesQueueUrl() {
            return ordinal() >= GET_QUEUE_ATTRIBUTES.ordinal() && ordinal() <= LIST_DEAD_LETTER_SOURCE_QUEUES.ordinal();
        }

        /** The JSON 1.0 members; {@code queue} is the spelled URL, name or ARN, {@code port} the server's. */
        Map<String, Object> members(String queue, int port) {
            Map<String, Object> members = new LinkedHashMap<>();
            if (takesQueueUrl()) {
                members.put("QueueUrl", queue);
            }
            String redrive = "{\"deadLetterTargetArn\":\"" + queue + "\",\"maxReceiveCount\":3}";
            switch (this) {
                case GET_QUEUE_URL -> members.put("QueueName", queue);
                case GET_QUEUE_ATTRIBUTES -> members.put("AttributeNames", List.of("All"));
                case SET_QUEUE_ATTRIBUTES -> members.put("Attributes", Map.of("VisibilityTimeout", "10"));
                case SEND_MESSAGE -> members.put("MessageBody", "forged");
                case SEND_MESSAGE_BATCH -> members.put("Entries", List.of(Map.of("Id", "a", "MessageBody", "forged")));
                case RECEIVE_MESSAGE -> members.put("WaitTimeSeconds", 0);
                // Invalid apart from the queue: refused before any queue is looked up (the batch per entry).
                case SEND_MESSAGE_DELAYED_TOO_LONG -> {
                    members.put("MessageBody", "forged");
                    members.put("DelaySeconds", 901);
                }
                case SEND_MESSAGE_BATCH_DELAYED_TOO_LONG -> members.put("Entries",
                        List.of(Map.of("Id", "a", "MessageBody", "forged", "DelaySeconds", 901)));
                case DELETE_MESSAGE -> members.put("ReceiptHandle", "handle");
                case DELETE_MESSAGE_BATCH -> members.put("Entries", List.of(Map.of("Id", "a", "ReceiptHandle", "handle")));
                case CHANGE_MESSAGE_VISIBILITY -> {
                    members.put("ReceiptHandle", "handle");
                    members.put("VisibilityTimeout", 5);
                }
                case CHANGE_MESSAGE_VISIBILITY_BATCH -> members.put("Entries",
                        List.of(Map.of("Id", "a", "ReceiptHandle", "handle", "VisibilityTimeout", 5)));
                case TAG_QUEUE -> members.put("Tags", Map.of("k", "v"));
                case UNTAG_QUEUE -> members.put("TagKeys", List.of("k"));
                case START_MOVE_TASK_FROM, LIST_MOVE_TASKS -> members.put("SourceArn", queue);
                case START_MOVE_TASK_TO -> {
                    members.put("SourceArn", arnOf("names-dlq"));
                    members.put("DestinationArn", queue);
                }
                case REDRIVE_TO -> {
                    members.put("QueueUrl", "http://127.0.0.1:" + port + "/" + ACCOUNT + "/names-main");
                    members.put("Attributes", Map.of("RedrivePolicy", redrive));
                }
                case CREATE_QUEUE_REDRIVING_TO -> {
                    members.put("QueueName", "names-new");
                    members.put("Attributes", Map.of("RedrivePolicy", redrive));
                }
                default -> { }
            }
            return members;
        }

        /** The same members as Query parameters: lists as {@code Name.N}, maps and entries as {@code Prefix.N.Field}. */
        Map<String, String> queryParameters(String queue, int port) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("Action", wireName());
            parameters.put("Version", "2012-11-05");
            members(queue, port).forEach((member, value) -> {
                switch (member) {
                    case "AttributeNames" -> parameters.put("AttributeName.1", "All");
                    case "TagKeys" -> parameters.put("TagKey.1", "k");
                    case "Attributes", "Tags" -> {
                        String prefix = member.equals("Tags") ? "Tag" : "Attribute";
                        int[] index = {0};
                        ((Map<?, ?>) value).forEach((key, item) -> {
                            index[0]++;
                            parameters.put(prefix + "." + index[0] + (member.equals("Tags") ? ".Key" : ".Name"), key.toString());
                            parameters.put(prefix + "." + index[0] + ".Value", item.toString());
                        });
                    }
                    case "Entries" -> ((Map<?, ?>) ((List<?>) value).get(0)).forEach((field, item) ->
                            parameters.put(wireName() + "RequestEntry.1." + field, item.toString()));
                    default -> parameters.put(member, value.toString());
                }
            });
            return parameters;
        }
    }

    /** The name with its letters' case flipped where {@code pattern} has a bit set (bit i for letter i mod 64). */
    private static String cased(String name, long pattern) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean flip = (pattern >>> (i % 64) & 1) == 1;
            out.append(!flip ? c : Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return out.toString();
    }

    private static String reference(Action action, Spelling spelling, String name, int port) {
        return action.takesQueueUrl() ? spelling.url(name, port)
                : action == Action.GET_QUEUE_URL ? spelling.name(name) : spelling.arn(name);
    }

    private static RawHttp.Answer send(Action action, Protocol protocol, Spelling spelling, String name) throws IOException {
        int port = server.port();
        String queue = reference(action, spelling, name, port);
        if (protocol == Protocol.JSON) {
            return http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                    Map.entry("X-Amz-Target", "AmazonSQS." + action.wireName())), JSON.writeValueAsString(action.members(queue, port)));
        }
        Map<String, String> parameters = action.queryParameters(queue, port);
        String target = "/";
        // Only these spellings make a queue path (/{account}/{name}); the others go in QueueUrl as usual.
        if (protocol == Protocol.QUERY_ON_QUEUE_PATH && action.takesQueueUrl()
                && (spelling == Spelling.AS_IS || spelling == Spelling.PERCENT_ENCODED_DASHES)) {
            parameters.remove("QueueUrl");
            target = "/" + ACCOUNT + "/" + spelling.name(name);
        }
        StringBuilder form = new StringBuilder();
        parameters.forEach((key, value) -> form.append(form.isEmpty() ? "" : "&").append(key).append('=')
                .append(protocol == Protocol.QUERY_EVERY_BYTE_ENCODED ? everyByteEncoded(value)
                        : URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return http.send("POST", target, List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                form.toString());
    }

    private static String everyByteEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    /**
     * Status, error code and message (or a batch's failed entries), with the spelled queue made generic and the
     * request id left out.
     */
    private static String answer(RawHttp.Answer answer, AnswerChecks.Wire wire, String... spellings) throws IOException {
        String message;
        if (wire == AnswerChecks.Wire.JSON) {
            JsonNode body = JSON.readTree(answer.body());
            message = body.path("message").asText(body.path("Message").asText()) + body.path("Failed");
        } else {
            String text = answer.text();
            int start = text.indexOf("<Message>");
            message = start < 0 ? "" : text.substring(start + 9, text.indexOf("</Message>"));
            int failed = text.indexOf("<BatchResultErrorEntry>");
            message += failed < 0 ? "" : text.substring(failed, text.lastIndexOf("</BatchResultErrorEntry>"));
        }
        for (String spelling : spellings) {
            message = message.replace(spelling, "<queue>");
        }
        return answer.status() + " " + AnswerChecks.errorCode(answer, wire) + " " + message;
    }

    /** Mostly the name as created (a case-changed name is a different queue), else letters flipped at random. */
    @Provide
    Arbitrary<Long> casePatterns() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs()));
    }

    @Property(tries = 100)
    void everySqsActionAnswersAnInternalQueueAsAQueueThatDoesNotExist(@ForAll Action action, @ForAll Protocol protocol,
            @ForAll Spelling spelling, @ForAll @IntRange(min = 0, max = 2) int which, @ForAll("casePatterns") long casePattern)
            throws IOException {
        String internal = cased(internalNames.get(which), casePattern);
        String twin = cased(ABSENT_PREFIX + internalNames.get(which).substring(ReservedQueueNames.PREFIX.length()),
                casePattern);
        AnswerChecks.Wire wire = protocol == Protocol.JSON ? AnswerChecks.Wire.JSON : AnswerChecks.Wire.XML;
        String request = protocol + " " + action.wireName() + " " + spelling + " " + internal;

        RawHttp.Answer internalAnswer = send(action, protocol, spelling, internal);
        RawHttp.Answer twinAnswer = send(action, protocol, spelling, twin);

        AnswerChecks.assertSafe(internalAnswer, wire, request);
        assertTrue(twinAnswer.status() >= 400 || action == Action.SEND_MESSAGE_BATCH_DELAYED_TOO_LONG,
                request + ": the absent twin was found: " + twinAnswer.text());
        int port = server.port();
        assertEquals(answer(twinAnswer, wire, reference(action, spelling, twin, port), spelling.name(twin), twin),
                answer(internalAnswer, wire, reference(action, spelling, internal, port), spelling.name(internal), internal),
                request);
        for (String name : internalNames.subList(0, 2)) {
            server.sluice().queueClient().getQueueAttributes(new GetQueueAttributesRequest(
                    "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + name, List.of("QueueArn"))).join();
        }
    }
}
