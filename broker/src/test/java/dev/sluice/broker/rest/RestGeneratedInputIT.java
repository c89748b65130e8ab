package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.AnswerChecks;
import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;

/**
 * Generated requests to every route of REST {@code /v1} and the bridge's REST on a real server: random methods,
 * path segments (bad escapes, NULs, invalid UTF-8, dot segments, very long), query strings and JSON bodies. Every
 * answer is safe (no 5xx, no internals, well-formed JSON), and a malformed escape is always the 400
 * InvalidParameterValue. Bounded: 200 tries a property, one connection a try. (jqwik runs the properties;
 * {@code @Timeout} documents the bound for the JUnit engine's reports.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestGeneratedInputIT {
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS");
    private static SqsTestServer server;
    private static RawHttp http;
    private static List<String[]> routes;
    private static Path data;

    @BeforeContainer
    static void start() throws Exception {
        data = Files.createTempDirectory("rest-generated");
        server = SqsTestServer.start(data);
        http = new RawHttp(server.server.httpPort());
        routes = RestHostileInputIT.routes(http);
        server.sqs.createQueue(request -> request.queueName("gen"));
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
    }

    @Property(tries = 200)
    void anyRequestToAnyRouteIsAnsweredSafelyInJson(@ForAll("routeTemplates") String[] route, @ForAll("methods") String method,
            @ForAll("segments") String segment, @ForAll("queries") String query, @ForAll("bodies") byte[] body) throws Exception {
        String target = route[1].replaceAll("\\{[A-Za-z]+}", segment) + query;
        RawHttp.Answer answer = http.send(method, target, List.of(Map.entry("Content-Type", "application/json")), body);
        AnswerChecks.assertSafe(answer, Wire.JSON, method + " " + target + " " + new String(body, StandardCharsets.UTF_8));
    }

    @Property(tries = 100)
    void aMalformedEscapeAnywhereIsAlwaysTheBadParameterError(@ForAll("routeTemplates") String[] route,
            @ForAll("badEscapes") String escape, @ForAll boolean inQuery) throws Exception {
        String path = route[1].replaceAll("\\{[A-Za-z]+}", inQuery ? "gen" : "a" + escape);
        String target = inQuery ? path + "?p=" + escape : path.equals(route[1]) ? path + "/" + escape : path;
        RawHttp.Answer answer = http.send(route[0], target, List.of(), new byte[0]);
        AnswerChecks.assertError(answer, Wire.JSON, 400, "InvalidParameterValue", route[0] + " " + target);
    }

    /** Near Vert.x's bound on a request line (HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH, method and version included). */
    private static final int MAX_REQUEST_LINE = io.vertx.core.http.HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH - 32;

    @Property(tries = 50)
    void aPathNoOperationHasIsA404InJson(@ForAll("methods") String method, @ForAll("words") String word,
            @ForAll("segments") String segment) throws Exception {
        String target = "/v1/no-" + word + "/" + segment.replace("%", "%25");
        RawHttp.Answer answer = http.send(method, target, List.of(), new byte[0]);
        if (answer.status() == 414) {
            // Longer than the HTTP server reads of a request line: refused before any route, as AWS's front ends do.
            assertTrue(target.length() > MAX_REQUEST_LINE, method + " " + target + " -> 414");
            return;
        }
        AnswerChecks.assertSafe(answer, Wire.JSON, method + " " + target);
        assertEquals(404, answer.status(), method + " " + target + " -> " + answer.text());
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String[]> routeTemplates() {
        return Arbitraries.of(routes);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of(METHODS);
    }

    @Provide
    Arbitrary<String> badEscapes() {
        return Arbitraries.of(RestHostileInputIT.BAD_ESCAPES);
    }

    @Provide
    Arbitrary<String> segments() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("gen", "..", ".", "%2e%2e", "%00", "%2F", "%C3%A9", "%C3%28", "%", "%zz", "%C0%AF", "+",
                        "%20", "arn:aws:sqs:us-east-1:000000000000:gen", "sluice-internal-x", "a.fifo"),
                Arbitraries.integers().between(1, 3000).map("x"::repeat));
        return piece.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("max", "maxResults", "wait", "visibility", "timeout", "delay", "prefix",
                "nextToken", "groupId", "FunctionName", "ttlMillis", "attribute.a", "subject", "%zz", "");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.integers().between(-5, 50_000).map(String::valueOf),
                Arbitraries.of("", "1e400", "1.5", "-0", "99999999999999999999", "%", "%00", "%C3%28", "true", "null", "a+b",
                        "x".repeat(3000), "arn:aws:lambda:us-east-1:000000000000:function:" + "f".repeat(200)));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> scalar = Arbitraries.of("null", "1e400", "-1", "1.5", "true", "\"\"", "\"a\\u0000b\"", "[]", "{}",
                "99999999999999999999999", "\"http://127.0.0.1:9/x\"", "\"arn:aws:sqs:us-east-1:000000000000:gen\"",
                "\"" + "n".repeat(2000) + "\"", "\"gen\"", "[\"ReportBatchItemFailures\",null]", "{\"MaximumConcurrency\":1e400}");
        Arbitrary<String> field = Arbitraries.of("attributes", "tags", "FunctionName", "InvokeUrl", "Handler", "Timeout",
                "EventSourceArn", "BatchSize", "ScalingConfig", "FilterCriteria", "FunctionResponseTypes", "Enabled",
                "VisibilityTimeout", "x", "");
        Arbitrary<String> member = Combinators.combine(field, scalar).as((f, v) -> "\"" + f + "\":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> text = Arbitraries.oneOf(object, scalar, object.map(o -> "{\"attributes\":" + o + "}"),
                object.map(o -> "{\"FilterCriteria\":{\"Filters\":[{\"Pattern\":" + quote(o) + "}]}}"),
                Arbitraries.integers().between(1, 200).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.of("", "{", "}", "{\"a\":}", "\u00ff\u00fe"));
        return Arbitraries.oneOf(text.map(t -> t.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
