package dev.sluice.broker.hostile;

import static dev.sluice.broker.hostile.AnswerChecks.Wire.JSON;
import static dev.sluice.broker.hostile.AnswerChecks.Wire.XML;
import static dev.sluice.broker.hostile.AnswerChecks.assertSafe;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With auth off (the loopback default): what happens to a request before its route, the body read and the
 * parameters' decoding, never answers 5xx. A GET or HEAD with a form or multipart content type, on every route,
 * and a broken {@code %} escape in the query string or a form body, get a 4xx in the request's protocol.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BodyBeforeRoutesIT {
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8", "multipart/form-data; boundary=x", "multipart/form-data",
            "multipart/mixed; boundary=y");
    /** Every mounted route family, and paths no route takes. */
    private static final List<String> PATHS = List.of("/health", "/health/ready", "/health/live", "/metrics", "/",
            "/?Action=ListQueues", "/?Action=ListTopics", "/v1/queues", "/v1/queues/missing/messages", "/v1/topics",
            "/v1/functions", "/v1/openapi.json", "/sns/SimpleNotificationService-sluice.pem", "/000000000000/missing",
            "/nowhere", "/v1/nowhere");

    @TempDir
    static Path data;
    static SqsTestServer server;
    static RawHttp raw;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        raw = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The wire an answer must be well-formed in, or null for routes that answer in their own formats. */
    private static AnswerChecks.Wire wire(String path) {
        if (path.startsWith("/v1/") && !path.startsWith("/v1/nowhere")) {
            return JSON;
        }
        return path.startsWith("/?") || path.equals("/") || path.startsWith("/000000000000/") ? XML : null;
    }

    @Test
    void aGetOrHeadWithAFormOrMultipartContentTypeIsNeverA5xxOnAnyRoute() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String path : PATHS) {
            for (String method : List.of("GET", "HEAD")) {
                for (String type : CONTENT_TYPES) {
                    for (List<Map.Entry<String, String>> headers : List.of(List.of(Map.entry("Content-Type", type)),
                            List.of(Map.entry("Content-Type", type), Map.entry("Content-Length", "0")))) {
                        String request = method + " " + path + " " + headers;
                        RawHttp.Answer answer = raw.send(method, path, headers, "");
                        if (answer.status() >= 500) {
                            failures.add(request + " -> " + answer.status() + " " + answer.text());
                        } else if (wire(path) != null && method.equals("GET")) {
                            assertSafe(answer, wire(path), request);
                        }
                    }
                }
                RawHttp.Answer withBody = raw.send(method, path, List.of(Map.entry("Content-Type", CONTENT_TYPES.get(0))),
                        "a=%zz&b=%");
                if (withBody.status() >= 500) {
                    failures.add(method + " " + path + " with a broken form body -> " + withBody.status());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void aBrokenEscapeInAQueryStringOrFormBodyIsA4xxInTheQueryProtocolsXml() throws Exception {
        Map.Entry<String, String> form = Map.entry("Content-Type", "application/x-www-form-urlencoded");
        for (String target : List.of("/?a=%zz", "/?Action=ListQueues&a=%", "/?Action=ListTopics&Version=2010-03-31&a=%zz",
                "/000000000000/missing?a=%zz")) {
            for (String method : List.of("GET", "POST")) {
                RawHttp.Answer answer = raw.send(method, target, List.of(form), "");
                assertSafe(answer, XML, method + " " + target);
                assertTrue(answer.status() >= 400, method + " " + target + " -> " + answer.status());
            }
        }
        RawHttp.Answer rest = raw.send("GET", "/v1/queues/missing/messages?max=%zz", List.of(), "");
        assertSafe(rest, JSON, "GET /v1/queues/missing/messages?max=%zz");
        assertTrue(rest.status() >= 400, "a REST path with parameters and a broken escape -> " + rest.status());
        for (String body : List.of("Action=ListQueues&a=%zz", "Action=ListTopics&Version=2010-03-31&a=%zz", "%",
                "Action=SendMessage&QueueUrl=%FF%FE&MessageBody=%00")) {
            RawHttp.Answer answer = raw.send("POST", "/", List.of(form), body);
            assertSafe(answer, XML, "POST / " + body);
            assertTrue(answer.status() >= 400, "POST / " + body + " -> " + answer.status());
        }
    }

    @Test
    void aPathOrMethodNoRouteTakesIsAnErrorInTheRequestsProtocolNotAnHtmlPage() throws Exception {
        Map.Entry<String, String> form = Map.entry("Content-Type", "application/x-www-form-urlencoded");
        for (String target : List.of("/000000000000/missing/", "/nowhere", "/000000000000/a/b/c")) {
            RawHttp.Answer answer = raw.send("POST", target, List.of(form), "Action=SendMessage&MessageBody=x");
            AnswerChecks.assertError(answer, XML, 400, "InvalidAddress", "POST " + target);
        }
        RawHttp.Answer json = raw.send("POST", "/nowhere", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "AmazonSQS.ListQueues")), "{}");
        AnswerChecks.assertError(json, JSON, 400, "InvalidAddress", "SQS JSON to /nowhere");
        RawHttp.Answer sns = raw.send("POST", "/nowhere", List.of(form), "Action=ListTopics&Version=2010-03-31");
        AnswerChecks.assertError(sns, XML, 400, "InvalidAction", "SNS to /nowhere");
        RawHttp.Answer wrongMethod = raw.send("PUT", "/", List.of(form), "Action=ListQueues");
        AnswerChecks.assertError(wrongMethod, XML, 400, "InvalidAddress", "PUT /");
        RawHttp.Answer health = raw.send("POST", "/health", List.of(), "");
        assertTrue(health.status() == 400 && !health.text().contains("<html"), "POST /health -> " + health.text());
    }

    @Test
    void aRequestTargetWithoutItsLeadingSlashIsAnErrorInTheRequestsProtocolNotAnInternalError() throws Exception {
        Map.Entry<String, String> amzJson = Map.entry("Content-Type", "application/x-amz-json-1.0");
        for (String target : List.of("v1/queues", "v1", "v1/queues/missing/messages", "000000000000/missing?Action=ListQueues",
                "health", "?Action=ListQueues")) {
            for (String method : List.of("GET", "DELETE")) {
                RawHttp.Answer answer = raw.send(method, target, List.of(), "");
                AnswerChecks.assertSafe(answer, XML, method + " " + target);
                assertTrue(answer.status() >= 400, method + " " + target + " -> " + answer.status());
            }
        }
        RawHttp.Answer json = raw.send("POST", "000000000000/missing", List.of(amzJson,
                Map.entry("X-Amz-Target", "AmazonSQS.ListQueues")), "{}");
        AnswerChecks.assertError(json, JSON, 400, "InvalidAddress", "SQS JSON to 000000000000/missing");
    }

    @Test
    void aBodyOverTheBoundIsA413InTheRequestsProtocolOnRoutesWithoutAProtocolToo() throws Exception {
        byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        for (String path : List.of("/health", "/health/ready", "/metrics", "/sns/SimpleNotificationService-sluice.pem",
                "/nowhere")) {
            RawHttp.Answer answer = raw.send("GET", path, List.of(), huge);
            AnswerChecks.assertError(answer, XML, 413, "RequestEntityTooLarge", "GET " + path + " with 5 MiB");
        }
    }
}
