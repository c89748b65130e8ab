package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.hostile.AnswerChecks;
import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sqs.SqsTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written hostile input to REST {@code /v1} and the bridge's REST on a real server, sent byte for byte:
 * malformed URIs on every route answer the REST JSON error with 400 and log nothing, and malformed JSON bodies
 * answer a 400 that names the field and the rule, never a parser's message or a Java type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestHostileInputIT {
    /** Escapes that are not UTF-8 text or not escapes at all. */
    static final List<String> BAD_ESCAPES = List.of("%", "%z", "%zz", "%g0", "a%2", "%C3%28", "%C0%AF", "%ED%A0%80",
            "%FF", "%80", "%F8%88%80%80%80");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsTestServer server;
    private RawHttp http;
    private List<String[]> routes;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        http = new RawHttp(server.server.httpPort());
        routes = routes(http);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /** Every method and path template of the OpenAPI document, e.g. {@code GET /v1/queues/{name}}. */
    static List<String[]> routes(RawHttp http) throws Exception {
        JsonNode paths = JSON.readTree(http.send("GET", "/v1/openapi.json", List.of(), "").body()).get("paths");
        List<String[]> routes = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method ->
                routes.add(new String[] {method.toUpperCase(java.util.Locale.ROOT), "/v1" + path.getKey()})));
        assertTrue(routes.size() >= 20, "the document lists every route: " + routes.size());
        return routes;
    }

    @Test
    void aBadEscapeInThePathOfEveryRouteIsTheRestJsonErrorAndLogsNothing() throws Exception {
        String logged = capturingStderr(() -> {
            for (String[] route : routes) {
                for (String escape : BAD_ESCAPES) {
                    String target = route[1].replaceAll("\\{[A-Za-z]+}", "x" + escape + "y");
                    if (target.equals(route[1])) {
                        target = route[1] + "/" + escape;
                    }
                    assertBadParameter(http.send(route[0], target, List.of(), body(route[0])), route[0] + " " + target);
                }
            }
        });
        assertQuiet(logged);
    }

    @Test
    void aBadEscapeInTheQueryOfEveryRouteIsTheRestJsonErrorAndLogsNothing() throws Exception {
        String logged = capturingStderr(() -> {
            for (String[] route : routes) {
                String path = route[1].replaceAll("\\{[A-Za-z]+}", "q");
                for (String escape : BAD_ESCAPES) {
                    for (String query : List.of("?max=" + escape, "?" + escape + "=1", "?maxResults=1&a" + escape)) {
                        assertBadParameter(http.send(route[0], path + query, List.of(), body(route[0])),
                                route[0] + " " + path + query);
                    }
                }
            }
        });
        assertQuiet(logged);
    }

    @Test
    void theIssuesExamplesAnswerJsonWith400() throws Exception {
        assertBadParameter(http.send("GET", "/v1/queues/%", List.of(), ""), "GET /v1/queues/%");
        assertBadParameter(http.send("GET", "/v1/queues/q/messages?max=%zz", List.of(), ""), "?max=%zz");
        assertBadParameter(http.send("GET", "/v1/queues?maxResults=%zz", List.of(), ""), "?maxResults=%zz");
    }

    @Test
    void rawBytesInThePathAreDecodedStrictly() throws Exception {
        // The request line is sent as ISO-8859-1: "\u00c3\u00a9" is the UTF-8 of é, "\u00c3(" is not UTF-8.
        RawHttp.Answer valid = http.send("GET", "/v1/queues/raw-\u00c3\u00a9", List.of(), "");
        AnswerChecks.assertSafe(valid, Wire.JSON, "raw UTF-8 in the path");
        assertTrue(valid.text().contains("raw-é") || valid.status() == 400, valid.text());
        for (String target : List.of("/v1/queues/raw-\u00c3(", "/v1/queues/raw-\u00ff", "/v1/queues/a\u0000b", "/v1/queues/a\u0001b")) {
            RawHttp.Answer answer = http.send("GET", target, List.of(), "");
            AnswerChecks.assertSafe(answer, Wire.JSON, target);
            assertEquals(400, answer.status(), target + " -> " + answer.text());
        }
    }

    @Test
    void dotSegmentsDoNotReachAnotherRoute() throws Exception {
        for (String target : List.of("/v1/queues/a/../b", "/v1/queues/a/%2e%2e/b/messages", "/v1/queues/./q")) {
            RawHttp.Answer answer = http.send("GET", target, List.of(), "");
            AnswerChecks.assertSafe(answer, Wire.JSON, target);
            assertTrue(answer.status() == 400 || answer.status() == 404, target + " -> " + answer.text());
        }
    }

    @Test
    void malformedQueueBodiesNameTheFieldAndTheRule() throws Exception {
        assertBody("PUT", "/v1/queues/hb-null", "null", "SerializationException", "must be a JSON object");
        assertBody("PUT", "/v1/queues/hb-array", "[1]", "SerializationException", "must be a JSON object");
        assertBody("PUT", "/v1/queues/hb-type", "{\"attributes\":5}", "SerializationException", "attributes must be a JSON object");
        assertBody("PUT", "/v1/queues/hb-member", "{\"attributes\":{\"VisibilityTimeout\":null}}", "SerializationException",
                "attributes.VisibilityTimeout must be a string");
        assertBody("PUT", "/v1/queues/hb-number", "{\"attributes\":{\"VisibilityTimeout\":1e400}}", "SerializationException",
                "attributes.VisibilityTimeout must be a string");
        assertBody("PUT", "/v1/queues/hb-unknown", "{\"x\":1}", "SerializationException", "Unknown field x");
        assertBody("PUT", "/v1/queues/hb-nul", "{\"tags\":{\"a\":\"b\\u0000\"}}", "SerializationException", "U+0000");
        assertBody("PUT", "/v1/queues/hb-deep", "{\"tags\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                "SerializationException", "not valid JSON");
        assertBody("PUT", "/v1/queues/hb-dup", "{\"tags\":{},\"tags\":{}}", "SerializationException", "not valid JSON");
        RawHttp.Answer utf8 = http.send("PUT", "/v1/queues/hb-utf8", List.of(),
                "{\"tags\":{\"a\":\"\u0000\"}}".replace("\u0000", "\u00ff").getBytes(StandardCharsets.ISO_8859_1));
        AnswerChecks.assertError(utf8, Wire.JSON, 400, "SerializationException", "invalid UTF-8");
        assertTrue(utf8.text().contains("not valid UTF-8"), utf8.text());
    }

    @Test
    void malformedBridgeBodiesNameTheFieldAndTheRule() throws Exception {
        String invalid = "InvalidRequestContentException";
        assertBody("POST", "/v1/functions", "null", invalid, "must be a JSON object");
        assertBody("POST", "/v1/functions", "{\"FunctionName\":[\"a\"]}", invalid, "FunctionName must be a string");
        assertBody("POST", "/v1/functions", "{\"FunctionName\":\"f\",\"Timeout\":1e400}", invalid, "Timeout must be an integer");
        assertBody("POST", "/v1/functions", "{\"FunctionName\":\"f\",\"Timeout\":99999999999}", invalid, "Timeout must be an integer");
        assertBody("POST", "/v1/functions", "{\"FunctionName\":\"f\\u0000\"}", invalid, "U+0000");
        assertBody("POST", "/v1/functions", "{", invalid, "not valid JSON");
        assertBody("POST", "/v1/event-source-mappings", "{\"FunctionResponseTypes\":[1,null]}", invalid,
                "FunctionResponseTypes[0] must be a string");
        assertBody("POST", "/v1/event-source-mappings", "{\"FilterCriteria\":{\"Filters\":[{\"Pattern\":5}]}}", invalid,
                "FilterCriteria.Filters[0].Pattern must be a string");
        assertBody("POST", "/v1/event-source-mappings", "{\"ScalingConfig\":{\"MaximumConcurrency\":\"2\"}}", invalid,
                "ScalingConfig.MaximumConcurrency must be an integer");
        assertBody("POST", "/v1/event-source-mappings", "{\"Enabled\":\"yes\"}", invalid, "Enabled must be true or false");
        RawHttp.Answer utf8 = http.send("POST", "/v1/functions", List.of(),
                "{\"FunctionName\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        AnswerChecks.assertError(utf8, Wire.JSON, 400, invalid, "invalid UTF-8");
    }

    @Test
    void aFilterPatternWithANumberBeyondDoubleRangeIsRefused() throws Exception {
        server.sqs.createQueue(request -> request.queueName("hb-filter"));
        http.send("POST", "/v1/functions", List.of(), "{\"FunctionName\":\"hb-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/x\"}");
        RawHttp.Answer answer = http.send("POST", "/v1/event-source-mappings", List.of(),
                "{\"FunctionName\":\"hb-fn\",\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:hb-filter\","
                        + "\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"{\\\"body\\\":{\\\"n\\\":[{\\\"numeric\\\":[\\\">\\\",1e400]}]}}\"}]}}");
        AnswerChecks.assertSafe(answer, Wire.JSON, "1e400 in a filter");
        assertEquals(400, answer.status(), answer.text());
    }

    @Test
    void namesLongerThanAnyResourceMayHaveAreRefusedAs400s() throws Exception {
        String long2k = "n".repeat(2000);
        String arn = "arn:aws:sqs:us-east-1:000000000000:";
        List<String[]> requests = List.of(
                new String[] {"PUT", "/v1/queues/" + long2k, ""},
                new String[] {"POST", "/v1/queues/" + long2k + "/messages", "x"},
                new String[] {"GET", "/v1/queues/" + long2k + "/migrate", ""},
                new String[] {"POST", "/v1/queues/" + long2k + "/migrate", "{\"toGroup\":\"data-0\"}"},
                new String[] {"PUT", "/v1/queues/" + long2k + "/partitions", "{\"count\":2}"},
                new String[] {"DELETE", "/v1/queues/q/messages/" + long2k, ""},
                new String[] {"POST", "/v1/topics/" + long2k + "/messages", "x"},
                new String[] {"GET", "/v1/functions/" + long2k, ""},
                new String[] {"PUT", "/v1/bridges/" + long2k, ""},
                new String[] {"POST", "/v1/functions", "{\"FunctionName\":\"" + long2k + "\",\"InvokeUrl\":\"http://127.0.0.1:9/x\"}"},
                new String[] {"POST", "/v1/event-source-mappings", "{\"FunctionName\":\"" + long2k + "\",\"EventSourceArn\":\"" + arn + "q\"}"},
                new String[] {"POST", "/v1/event-source-mappings", "{\"FunctionName\":\"f\",\"EventSourceArn\":\"" + arn + long2k + "\"}"},
                new String[] {"POST", "/v1/event-source-mappings", "{\"FunctionName\":\"arn:aws:lambda:us-east-1:0:function:" + long2k
                        + "\",\"EventSourceArn\":\"" + arn + "q\"}"});
        for (String[] request : requests) {
            RawHttp.Answer answer = http.send(request[0], request[1], List.of(), request[2]);
            String described = request[0] + " " + request[1].substring(0, Math.min(60, request[1].length())) + " "
                    + request[2].substring(0, Math.min(60, request[2].length()));
            AnswerChecks.assertSafe(answer, Wire.JSON, described);
            assertTrue(answer.status() == 400 || answer.status() == 404, described + " -> " + answer.status() + " " + answer.text());
        }
    }

    @Test
    void aPublishedBodyThatIsNotUtf8IsRefusedNotReplaced() throws Exception {
        try (var sns = dev.sluice.broker.sns.SnsClients.client(server.server.httpPort())) {
            sns.createTopic(request -> request.name("hb-topic"));
        }
        RawHttp.Answer answer = http.send("POST", "/v1/topics/hb-topic/messages", List.of(),
                new byte[] {'o', 'k', (byte) 0xC3, '(', (byte) 0xFF});
        AnswerChecks.assertError(answer, Wire.JSON, 400, "InvalidParameter", "publish invalid UTF-8");
        assertTrue(answer.text().contains("UTF-8"), answer.text());
    }

    private void assertBody(String method, String path, String body, String code, String messagePart) throws Exception {
        RawHttp.Answer answer = http.send(method, path, List.of(Map.entry("Content-Type", "application/json")), body);
        String request = method + " " + path + " " + (body.length() > 80 ? body.substring(0, 80) : body);
        AnswerChecks.assertError(answer, Wire.JSON, 400, code, request);
        assertTrue(answer.text().contains(messagePart), request + " -> " + answer.text());
    }

    private static void assertBadParameter(RawHttp.Answer answer, String request) {
        AnswerChecks.assertError(answer, Wire.JSON, 400, "InvalidParameterValue", request);
        assertTrue(answer.text().contains("requestId"), request + " -> " + answer.text());
    }

    private static String body(String method) {
        return method.equals("GET") || method.equals("DELETE") ? "" : "{}";
    }

    /** What the server logged to stderr (slf4j-simple's stream) while {@code action} ran. */
    static String capturingStderr(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        original.print(logged);
        return logged;
    }

    /** No line of the router or the REST error encoder, no exception, no stack trace. */
    static void assertQuiet(String logged) {
        for (String line : logged.split("\n")) {
            assertTrue(!line.contains("RoutingContext") && !line.contains("RestErrors") && !line.contains("Exception")
                    && !line.startsWith("\tat "), "logged: " + line);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
