package dev.sluice.broker.auth;

import static dev.sluice.broker.hostile.AnswerChecks.Wire.JSON;
import static dev.sluice.broker.hostile.AnswerChecks.Wire.XML;
import static dev.sluice.broker.hostile.AnswerChecks.assertSafe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.AnswerChecks;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.clientsdk.auth.SigV4;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;

/**
 * Generated inputs over the authentication edge, with access keys configured. A correctly signed request that would
 * create a queue or topic (SQS Query, SQS JSON, SNS, REST, presigned URL) is changed in one way (a query parameter,
 * the body, an unsigned payload, an added X-Amz-Target or Sluice-* header, a signed header's value, a character of
 * the signature, the method, the path, broken escapes): it is refused with an auth error in its protocol and what it
 * asked for never happens, unless the change provably leaves what was signed alone (an unrelated header), in which
 * case it runs. Unsigned garbage always gets the auth error. Never a 5xx, never an internal name.
 *
 * <p>Bounded: at most 150 tries a property (100 for the one that asks the SDK what ran), a few milliseconds each (jqwik has no timeout of its own; the
 * {@code @Timeout} is for the JUnit engine's view of the class).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthEdgePropertiesIT {
    private static final String KEY = "AKIDPROPERTY";
    private static final String SECRET = "property-secret-1234";
    private static final Set<String> AUTH_ERRORS = Set.of("SignatureDoesNotMatch", "IncompleteSignature", "AccessDenied",
            "MissingAuthenticationToken", "InvalidClientTokenId", "RequestExpired");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Path data;
    private static KeyedServer keyed;
    private static RawHttp raw;
    private static RawSigner signer;

    @BeforeContainer
    static void start() throws Exception {
        data = Files.createTempDirectory("auth-properties");
        keyed = new KeyedServer(data, KEY, SECRET);
        raw = keyed.raw;
        signer = keyed.signer;
    }

    @AfterContainer
    static void stop() throws Exception {
        keyed.close();
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** One raw request. */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        Request withHeader(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Request(method, target, more, body);
        }

        String header(String name) {
            return headers.stream().filter(header -> header.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        String path() {
            int question = target.indexOf('?');
            return question < 0 ? target : target.substring(0, question);
        }

        /**
         * The wire the answer must be in, as the routes pick it: REST and SQS JSON (a target) are JSON; an SNS request
         * (signed for sns, or an SNS version or action) is XML whatever its Content-Type; else a JSON type is SQS JSON.
         */
        AnswerChecks.Wire wire() {
            if (path().startsWith("/v1") || header("X-Amz-Target") != null) {
                return JSON;
            }
            String parameters = target + "&" + new String(body, StandardCharsets.ISO_8859_1);
            boolean sns = String.valueOf(header("Authorization")).contains("/sns/aws4_request")
                    || parameters.contains("Version=2010-03-31") || parameters.contains("Action=Publish");
            String type = header("Content-Type");
            return !sns && type != null && type.startsWith("application/x-amz-json") ? JSON : XML;
        }

        @Override
        public String toString() {
            return method + " " + target + " " + headers + " body=" + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** A signed request of one protocol that creates {@code name}, and how to tell whether it did. */
    enum Base {
        SQS_QUERY, SQS_JSON, SNS, REST, PRESIGNED;

        Request signed(String name) {
            Instant now = Instant.now();
            return switch (this) {
                case SQS_QUERY -> header("POST", "/", null, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                        "Action=CreateQueue&QueueName=" + name + "&Version=2012-11-05", "sqs", now);
                case SQS_JSON -> header("POST", "/", null, Map.of("Content-Type", "application/x-amz-json-1.0",
                        "X-Amz-Target", "AmazonSQS.CreateQueue"), "{\"QueueName\":\"" + name + "\"}", "sqs", now);
                case SNS -> header("POST", "/", null, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                        "Action=CreateTopic&Name=" + name + "&Version=2010-03-31", "sns", now);
                case REST -> header("PUT", "/v1/queues/" + name, null, Map.of("Content-Type", "application/json"), "{}",
                        "sqs", now);
                case PRESIGNED -> new Request("GET", signer.presign("GET", "/", "Action=CreateQueue&QueueName=" + name
                        + "&Version=2012-11-05", SigV4.sha256Hex(new byte[0]), "sqs", now), List.of(), new byte[0]);
            };
        }

        private static Request header(String method, String path, String query, Map<String, String> signedHeaders,
                String body, String service, Instant now) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Request(method, query == null ? path : path + "?" + query,
                    signer.headers(method, path, query, signedHeaders, bytes, null, service, now), bytes);
        }

        boolean created(String name) {
            return this == SNS ? keyed.topicExists(name) : keyed.queueExists(name);
        }
    }

    /** A change to a signed request; {@code harmless} ones leave everything that was signed as it was. */
    record Mutation(String description, Function<Request, Request> change, boolean harmless) {
        @Override
        public String toString() {
            return description;
        }
    }

    @Property(tries = 100)
    void aChangedSignedRequestIsRefusedInItsProtocolAndNeverRuns(@ForAll Base base, @ForAll("mutations") Mutation mutation)
            throws Exception {
        String name = "gen-" + base.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + NAMES.incrementAndGet();
        Request request = mutation.change().apply(base.signed(name));
        RawHttp.Answer answer = raw.send(request.method(), request.target(), request.headers(), request.body());
        String context = base + " + " + mutation + ": " + request;
        assertSafe(answer, request.wire(), context);
        if (mutation.harmless()) {
            assertEquals(200, answer.status(), context + " -> " + answer.text());
            assertTrue(base.created(name), context);
            return;
        }
        assertTrue(answer.status() == 403 || answer.status() == 400, context + " -> " + answer.status());
        String code = AnswerChecks.errorCode(answer, request.wire());
        assertTrue(code != null && AUTH_ERRORS.contains(code), context + " -> " + code + " " + answer.text());
        assertFalse(base.created(name), "ran although changed: " + context);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<String> names = Arbitraries.strings().withChars("AZaz09.-_").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().ofMaxLength(12),
                Arbitraries.of("%zz", "%", "%0", "%00", "%FF%FE", "%C3%28", "a%2Bb", "+", "CreateQueue", "DeleteQueue"));
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(
                Arbitraries.of("Action=DeleteQueue", "Action=CreateQueue&QueueName=gen-forged", "{\"QueueName\":\"x\"}",
                        "a=%zz", "\0", "Action=CreateTopic&Name=gen-forged").map(text -> text.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40));
        return Arbitraries.oneOf(
                Combinators.combine(names, values).as((name, value) -> new Mutation("append query " + name + "=" + value,
                        request -> appendQuery(request, name + "=" + value), false)),
                bodies.map(body -> new Mutation("replace the body", request -> new Request(request.method(),
                        request.target(), request.headers(), body), false)),
                bodies.map(body -> new Mutation("UNSIGNED-PAYLOAD with a body", request -> new Request(request.method(),
                        request.target(), replaceHeader(request.headers(), "x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD),
                        body), false)),
                Arbitraries.of("AmazonSQS.CreateQueue", "AmazonSQS.DeleteQueue", "AmazonSQS.ListQueues", "x")
                        .map(target -> new Mutation("add X-Amz-Target " + target,
                                request -> request.withHeader("X-Amz-Target", target), false)),
                names.map(name -> new Mutation("add Sluice-" + name, request -> request.withHeader("Sluice-" + name, "1"),
                        false)),
                Arbitraries.of("application/x-amz-json-1.1", "text/plain", "application/x-www-form-urlencoded; charset=x")
                        .map(type -> new Mutation("change the signed Content-Type to " + type,
                                request -> request.header("Content-Type") == null ? request.withHeader("Sluice-Type", type)
                                        : new Request(request.method(), request.target(),
                                                replaceHeader(request.headers(), "Content-Type", type), request.body()),
                                false)),
                Arbitraries.integers().between(0, 63).map(index -> new Mutation("flip signature char " + index,
                        request -> flipSignature(request, index), false)),
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH").map(method -> new Mutation("method " + method,
                        request -> new Request(request.method().equals(method) ? "OPTIONS" : method, request.target(),
                                request.headers(), request.body()), false)),
                Arbitraries.of("/x", "/v1/queues/gen-moved", "/000000000000/gen-moved", "//", "/%2F")
                        .map(path -> new Mutation("path " + path, request -> new Request(request.method(),
                                path + request.target().substring(request.path().length()), request.headers(),
                                request.body()), false)),
                Arbitraries.of("User-Agent", "Accept", "X-Forwarded-For", "Amz-Sdk-Request", "X-Amzn-Trace-Id")
                        .map(header -> new Mutation("add unsigned " + header, request -> request.withHeader(header, "1"),
                                true)));
    }

    private static Request appendQuery(Request request, String pair) {
        String target = request.target().contains("?") ? request.target() + "&" + pair : request.target() + "?" + pair;
        return new Request(request.method(), target, request.headers(), request.body());
    }

    private static List<Map.Entry<String, String>> replaceHeader(List<Map.Entry<String, String>> headers, String name,
            String value) {
        List<Map.Entry<String, String>> replaced = new ArrayList<>();
        headers.forEach(header -> replaced.add(header.getKey().equalsIgnoreCase(name) ? Map.entry(header.getKey(), value)
                : header));
        if (replaced.stream().noneMatch(header -> header.getKey().equalsIgnoreCase(name))) {
            replaced.add(Map.entry(name, value));
        }
        return replaced;
    }

    /** The signature's hex digit at {@code index} changed to another, in the Authorization header or the URL. */
    private static Request flipSignature(Request request, int index) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            return new Request(request.method(), request.target(),
                    replaceHeader(request.headers(), "Authorization", flipAfter(authorization, "Signature=", index)),
                    request.body());
        }
        return new Request(request.method(), flipAfter(request.target(), "X-Amz-Signature=", index), request.headers(),
                request.body());
    }

    private static String flipAfter(String text, String marker, int index) {
        int at = text.indexOf(marker) + marker.length() + index;
        char flipped = text.charAt(at) == '0' ? '1' : '0';
        return text.substring(0, at) + flipped + text.substring(at + 1);
    }

    /**
     * Found by the property below once the console's routes came first: a route with a path made Vert.x decode every
     * path, so an unsigned request whose path was a bad escape got 404 MalformedQueryString before authentication ran.
     */
    @Example
    void anUnsignedRequestWithAnUndecodablePathGetsTheAuthError() throws Exception {
        for (String method : List.of("GET", "HEAD", "POST")) {
            unsignedGarbageAlwaysGetsTheAuthErrorInItsProtocol(new Request(method, "/%zz", List.of(), new byte[0]));
        }
    }

    /**
     * Found by the property below: an SNS action in the query, another action in a body sent as SQS JSON. SNS's
     * routes take such a request (its raw query names an SNS action) though its parameters are ambiguous, so the auth
     * error is SNS XML; the error responder read the ambiguity as "not SNS" and answered SQS JSON.
     */
    @Example
    void anUnsignedRequestNamingAnSnsActionAndAnotherInItsBodyGetsTheAuthErrorInSnsXml() throws Exception {
        for (String method : List.of("GET", "POST")) {
            unsignedGarbageAlwaysGetsTheAuthErrorInItsProtocol(new Request(method, "/?Action=Publish",
                    List.of(Map.entry("Content-Type", "application/x-amz-json-1.0")),
                    "Action=CreateQueue&QueueName=gen-garbage".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Property(tries = 150)
    void unsignedGarbageAlwaysGetsTheAuthErrorInItsProtocol(@ForAll("garbage") Request request) throws Exception {
        RawHttp.Answer answer = raw.send(request.method(), request.target(), request.headers(), request.body());
        String context = request.toString();
        assertSafe(answer, request.wire(), context);
        assertTrue(answer.status() == 403 || answer.status() == 400, context + " -> " + answer.status() + " "
                + answer.text());
        if (!request.method().equals("HEAD")) {
            String code = AnswerChecks.errorCode(answer, request.wire());
            assertTrue(code != null && AUTH_ERRORS.contains(code), context + " -> " + code + " " + answer.text());
        }
    }

    @Provide
    Arbitrary<Request> garbage() {
        Arbitrary<String> methods = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
        Arbitrary<String> paths = Arbitraries.of("/", "/v1/queues", "/v1/queues/q/messages", "/v1/topics", "/v1/functions",
                "/000000000000/q", "/nowhere", "/v1/admin/queues", "/health/x", "/%zz", "/v1/queues/%", "/a%00b");
        Arbitrary<String> queries = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("Action=CreateQueue&QueueName=gen-garbage", "Action=Publish", "a=%zz", "%", "a=%00",
                        "a=%FF%FE", "X-Amz-Signature=00", "X-Amz-Credential=AKIDPROPERTY%2F20200101%2Fus-east-1%2Fsqs"
                                + "%2Faws4_request&X-Amz-Algorithm=AWS4-HMAC-SHA256", "max=%zz", "Version=2010-03-31"),
                Arbitraries.strings().withChars("abAZ09=&%+._-").ofMaxLength(20));
        Arbitrary<List<Map.Entry<String, String>>> headers = Arbitraries.of(
                "Content-Type: application/x-www-form-urlencoded", "Content-Type: multipart/form-data; boundary=x",
                "Content-Type: multipart/form-data", "Content-Type: application/x-amz-json-1.0",
                "Content-Type: application/json", "X-Amz-Target: AmazonSQS.CreateQueue", "X-Amz-Target: nonsense",
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIDPROPERTY/2020/x", "Authorization: Basic abc",
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIDNOBODY/20200101/us-east-1/sqs/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=00",
                "X-Amz-Date: 20200101T000000Z", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "Content-Length: 0",
                "Sluice-Attribute-A: 1")
                .map(line -> Map.entry(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2)))
                .list().uniqueElements(Map.Entry::getKey).ofMaxSize(4);
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Arbitraries.of("Action=CreateQueue&QueueName=gen-garbage", "{\"QueueName\":\"gen-garbage\"}", "a=%zz",
                        "null", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n")
                        .map(text -> text.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60));
        return Combinators.combine(methods, paths, queries, headers, bodies).as((method, path, query, chosen, body) ->
                new Request(method, query.isEmpty() ? path : path + "?" + query, chosen, body))
                .filter(request -> !isExempt(request))
                // Two Content-Length headers (ours and RawHttp's) is malformed HTTP, refused before any route.
                .filter(request -> request.header("Content-Length") == null
                        || request.body().length == 0 && (request.method().equals("GET") || request.method().equals("HEAD")));
    }

    /** Unsigned by design: health, metrics, the certificate (GET), and bare subscription links (not generated). */
    private static boolean isExempt(Request request) {
        return request.method().equals("GET") && (request.path().equals("/health") || request.path().equals("/metrics"));
    }
}
