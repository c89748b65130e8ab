package dev.sluice.broker.sqs;

import static dev.sluice.broker.hostile.AnswerChecks.assertError;
import static dev.sluice.broker.hostile.AnswerChecks.assertSafe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.clientsdk.JsonBodies;
import dev.sluice.clientsdk.SqsAction;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;

/**
 * Generated hostile input over both SQS edges of a real server: random JSON 1.0 bodies for every action
 * (nulls, wrong types, 1e400, unknown members, lists for structures, deep nesting, invalid UTF-8) and random
 * Query parameter sets (any Action including NULs and XML-illegal characters, DataType garbage, indexes 0, -1
 * and 99999999999, repeated keys, broken and non-UTF-8 percent-escapes). Every answer is safe (no 5xx, no
 * internals, well-formed in the protocol); where the input is certainly wrong, the answer carries the code.
 * Bounded: 200 tries a property, each one request to a local server (jqwik ignores {@code @Timeout}; the
 * raw client's 10 s socket timeout bounds a try).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SqsGeneratedInputIT {
    private static final ObjectReader STRICT_JSON = new ObjectMapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Path dir;
    static SqsTestServer server;
    static RawHttp http;
    static String url;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("sqs-generated-input");
        server = SqsTestServer.start(dir);
        http = new RawHttp(server.port());
        url = server.sqs.createQueue(b -> b.queueName("q")).queueUrl();
    }

    @AfterContainer
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    // --- SQS JSON 1.0 ---

    @Property(tries = 200)
    void anyJsonBodyToAnyActionIsAnsweredSafelyAndWrongTypesAreSerializationExceptions(
            @ForAll("actions") SqsAction action, @ForAll("jsonBodies") String body) throws IOException {
        JsonNode tree = parse(body);
        String sent = tree == null ? body : withoutLongPoll(action, tree, body);
        RawHttp.Answer answer = json(action.wireName(), sent.getBytes(StandardCharsets.UTF_8));
        if (tree == null || refusedByShape(action, tree)) {
            assertError(answer, Wire.JSON, 400, "SerializationException", action.wireName() + " " + sent);
        } else {
            assertSafe(answer, Wire.JSON, action.wireName() + " " + sent);
        }
    }

    @Property(tries = 100)
    void jsonBodiesWithInvalidUtf8AreSerializationExceptions(@ForAll("actions") SqsAction action,
            @ForAll("jsonBodies") String body, @ForAll("invalidUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 10_000) int where)
            throws IOException {
        byte[] valid = body.getBytes(StandardCharsets.UTF_8);
        int at = where % (valid.length + 1);
        byte[] corrupt = new byte[valid.length + bad.length];
        System.arraycopy(valid, 0, corrupt, 0, at);
        System.arraycopy(bad, 0, corrupt, at, bad.length);
        System.arraycopy(valid, at, corrupt, at + bad.length, valid.length - at);
        assertError(json(action.wireName(), corrupt), Wire.JSON, 400, "SerializationException",
                action.wireName() + " " + Arrays.toString(corrupt));
    }

    @Provide
    Arbitrary<SqsAction> actions() {
        return Arbitraries.of(SqsAction.class);
    }

    @Provide
    Arbitrary<String> jsonBodies() {
        return JsonBodies.objects().map(body -> body.replace("http://127.0.0.1/000000000000/q", url));
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    }

    private static RawHttp.Answer json(String action, byte[] body) throws IOException {
        return http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "AmazonSQS." + action)), body);
    }

    /** The body as a strict parser reads it, or null when it is no JSON (or repeats a member). */
    private static JsonNode parse(String body) {
        try {
            return body.isEmpty() ? MAPPER.createObjectNode() : STRICT_JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** A long poll would only make a try wait: ReceiveMessage's valid WaitTimeSeconds is sent as 0. */
    private static String withoutLongPoll(SqsAction action, JsonNode tree, String body) {
        JsonNode wait = tree.path("WaitTimeSeconds");
        if (action == SqsAction.RECEIVE_MESSAGE && wait.canConvertToInt() && wait.isIntegralNumber()
                && wait.intValue() > 0) {
            ((ObjectNode) tree).put("WaitTimeSeconds", 0);
            return tree.toString();
        }
        return body;
    }

    /**
     * The oracle, independent of the server's shape check: Jackson's own view of the request record's
     * members and types. A body that is no object, or a member of the action that has the wrong JSON type
     * or a null element, must be refused.
     */
    private static boolean refusedByShape(SqsAction action, JsonNode tree) {
        if (!tree.isObject()) {
            return true;
        }
        for (BeanPropertyDefinition member : MAPPER.getDeserializationConfig()
                .introspect(MAPPER.constructType(action.requestType())).findProperties()) {
            JsonNode value = tree.get(member.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            Class<?> type = member.getRawPrimaryType();
            boolean fits = type == String.class ? value.isTextual()
                    : type == Integer.class ? value.isIntegralNumber() && value.canConvertToInt()
                    : type == List.class ? value.isArray() && noNulls(value)
                    : type == Map.class ? value.isObject() && noNulls(value)
                    : true;
            if (!fits) {
                return true;
            }
        }
        return false;
    }

    private static boolean noNulls(JsonNode container) {
        for (JsonNode element : container) {
            if (element.isNull()) {
                return false;
            }
        }
        return true;
    }

    // --- Both protocols: message contents and attribute types that are certainly wrong ---

    @Property(tries = 100)
    void aBodyOrAttributeValueWithACharacterOutsideSqssSetIsInvalidMessageContentsInBothProtocols(
            @ForAll String before, @ForAll("disallowedCharacters") int disallowed, @ForAll String after,
            @ForAll boolean inAttribute, @ForAll boolean overJson) throws IOException {
        String text = before + Character.toString(disallowed) + after;
        String body = inAttribute ? "ok" : text;
        String value = inAttribute ? text : "ok";
        RawHttp.Answer answer = overJson
                ? json("SendMessage", ("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":" + JsonBodies.quote(body)
                        + ",\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":"
                        + JsonBodies.quote(value) + "}}}").getBytes(StandardCharsets.UTF_8))
                : form("Action=SendMessage&QueueUrl=" + encode(url) + "&MessageBody=" + encode(body)
                        + "&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String"
                        + "&MessageAttribute.1.Value.StringValue=" + encode(value));
        assertError(answer, overJson ? Wire.JSON : Wire.XML, 400, "InvalidMessageContents", text);
    }

    @Property(tries = 100)
    void anAttributeTypeThatIsNotStringNumberOrBinaryIsInvalidParameterValueInBothProtocols(
            @ForAll("garbageDataTypes") String dataType, @ForAll boolean overJson) throws IOException {
        RawHttp.Answer answer = overJson
                ? json("SendMessage", ("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"ok\",\"MessageAttributes\":"
                        + "{\"a\":{\"DataType\":" + JsonBodies.quote(dataType) + ",\"StringValue\":\"1\"}}}")
                        .getBytes(StandardCharsets.UTF_8))
                : form("Action=SendMessage&QueueUrl=" + encode(url) + "&MessageBody=ok&MessageAttribute.1.Name=a"
                        + "&MessageAttribute.1.Value.DataType=" + encode(dataType)
                        + "&MessageAttribute.1.Value.StringValue=1");
        assertError(answer, overJson ? Wire.JSON : Wire.XML, 400, "InvalidParameterValue", dataType);
    }

    @Provide
    Arbitrary<Integer> disallowedCharacters() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 0x8), Arbitraries.of(0xB, 0xC, 0xFFFE, 0xFFFF),
                Arbitraries.integers().between(0xE, 0x1F));
    }

    /** Types whose base is not String, Number or Binary, or that hold a character XML cannot carry. */
    @Provide
    Arbitrary<String> garbageDataTypes() {
        Arbitrary<String> wrongBase = Arbitraries.strings().ofMaxLength(20)
                .filter(type -> !type.split("\\.", 2)[0].matches("String|Number|Binary"));
        Arbitrary<String> illegalLabel = Combinators.combine(Arbitraries.of("String", "Number", "Binary"),
                disallowedCharacters()).as((base, c) -> base + "." + Character.toString(c));
        return Arbitraries.oneOf(wrongBase, illegalLabel, Arbitraries.of("String\u0000", "string", "Number ", " Binary"));
    }

    private static RawHttp.Answer form(String body) throws IOException {
        return http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), body);
    }

    // --- SQS Query ---

    /** One generated Query request: its form text and, when one escape was spoiled, the code that must answer. */
    record QueryRequest(String form, String expectedCode, int expectedStatus, boolean overGet) {
    }

    @Property(tries = 200)
    void anyQueryParameterSetIsAnsweredSafelyAndBrokenEncodingsAreRefused(@ForAll("queryRequests") QueryRequest request)
            throws IOException {
        RawHttp.Answer answer = request.overGet()
                ? http.send("GET", "/?" + request.form(), List.of(), new byte[0])
                : http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                        request.form());
        if (request.expectedCode() != null) {
            assertError(answer, Wire.XML, request.expectedStatus(), request.expectedCode(), request.form());
        } else {
            assertSafe(answer, Wire.XML, request.form());
        }
    }

    @Provide
    Arbitrary<QueryRequest> queryRequests() {
        Arbitrary<String> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(SqsAction.class).map(SqsAction::wireName)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", "Send\u0000Message", "\u0001", "<x>&", "SendMessage\uFFFE",
                        "\ud800", "sendmessage", "SendMessage ")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
        Arbitrary<List<String>> pairs = pair().list().ofMaxSize(12);
        Arbitrary<Integer> spoil = Arbitraries.integers().between(0, 6);
        return Combinators.combine(action, pairs, spoil, Arbitraries.of(false, false, true))
                .as(SqsGeneratedInputIT::queryRequest);
    }

    private static QueryRequest queryRequest(String action, List<String> pairs, int spoil, boolean overGet) {
        List<String> all = new ArrayList<>();
        all.add("Action=" + encode(action));
        all.add("QueueUrl=" + encode(url));
        all.addAll(pairs);
        if (!pairs.isEmpty() && spoil == 6) {
            all.add(pairs.get(0)); // a repeated key (sometimes): refused, since a parameter may appear once
        }
        // At most one spoiled escape, appended to the last value, so that the refusal it earns is certain.
        String spoiled = switch (spoil) {
            case 1 -> "%zz";
            case 2 -> "%";
            case 3 -> "%C3%28";
            case 4 -> "%FF";
            case 5 -> "%ED%A0%80";
            default -> "";
        };
        all.add("Extra=x" + spoiled);
        String form = String.join("&", all);
        // A form that cannot be decoded is refused as such first; one that can, for a repeated name next.
        boolean repeated = all.stream().map(pair -> pair.substring(0, pair.indexOf('='))).distinct().count() < all.size();
        return switch (spoil) {
            case 1, 2 -> new QueryRequest(form, "MalformedQueryString", 404, overGet);
            case 3, 4, 5 -> new QueryRequest(form, "InvalidParameterValue", 400, overGet);
            default -> repeated ? new QueryRequest(form, "InvalidQueryParameter", 400, overGet)
                    : expectedForAction(action, form, overGet);
        };
    }

    private static QueryRequest expectedForAction(String action, String form, boolean overGet) {
        if (action.isEmpty()) {
            return new QueryRequest(form, "MissingAction", 400, overGet);
        }
        boolean known = Stream.of(SqsAction.values()).anyMatch(served -> served.wireName().equals(action));
        return known ? new QueryRequest(form, null, 0, overGet) : new QueryRequest(form, "InvalidAction", 400, overGet);
    }

    private static Arbitrary<String> pair() {
        Arbitrary<String> index = Arbitraries.of("1", "2", "0", "-1", "99999999999", "01", "1.5", "", "x");
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of("QueueName", "MessageBody", "DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout",
                        "ReceiptHandle", "MaxResults", "QueueNamePrefix", "MessageGroupId", "MessageDeduplicationId",
                        "SourceArn", "TaskHandle", "NextToken", "Unknown", "QueueUrl"),
                Combinators.combine(Arbitraries.of("MessageAttribute", "MessageSystemAttribute", "Attribute",
                        "AttributeName", "MessageAttributeName", "Tag", "Tags", "TagKey", "SendMessageBatchRequestEntry",
                        "DeleteMessageBatchRequestEntry", "ChangeMessageVisibilityBatchRequestEntry"), index,
                        Arbitraries.of("", ".Name", ".Value", ".Key", ".Id", ".MessageBody", ".ReceiptHandle",
                                ".Value.DataType", ".Value.StringValue", ".Value.BinaryValue", ".VisibilityTimeout",
                                ".MessageAttribute.1.Name", ".MessageAttribute.1.Value.DataType",
                                ".MessageAttribute.1.Value.StringValue"))
                        .as((prefix, n, suffix) -> prefix + "." + n + suffix));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("String", "Number", "Binary", "String\u0000", "Number.x", "Binary\u0001", "\u0000", "",
                        "aGk=", "***", "1", "0", "-1", "1.5", "1e400", "99999999999999999999", "All", "\uFFFE",
                        "<a>&amp;", "x".repeat(300)),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(16));
        return Combinators.combine(key, value).as((k, v) -> encode(k) + "=" + encode(v));
    }

    /** Form encoding; a lone surrogate, which UTF-8 cannot carry, goes as '?'. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
