package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files as HTTP serves them: from the jar at /console/, with their content types, revalidation and
 * a script policy; nothing else on the class path or the disk, whatever the path; a browser's GET / sent to the
 * console while SQS requests to / are answered as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleRoutesIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static RawHttp http;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Answer get(String target, String... headers) throws Exception {
        List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(Map.entry(headers[i], headers[i + 1]));
        }
        return http.send("GET", target, list, new byte[0]);
    }

    @Test
    void aBrowserOpeningTheServerIsSentToTheConsole() throws Exception {
        RawHttp.Answer answer = get("/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(302, answer.status());
        assertEquals("/console/", answer.headers().get("location"));
        assertEquals(302, get("/console").status());
    }

    @Test
    void sqsRequestsToTheRootAreAnsweredAsBefore() throws Exception {
        server.sqs.createQueue(request -> request.queueName("routes-before"));
        assertTrue(server.sqs.listQueues().queueUrls().stream().anyMatch(url -> url.endsWith("/routes-before")));
        RawHttp.Answer query = get("/?Action=ListQueues", "Accept", "text/html");
        assertEquals(200, query.status(), query.text());
        assertTrue(query.text().contains("routes-before"), query.text());
        // No Accept of HTML (curl, SDKs): GET / is still SQS's, which answers its own error for a missing action.
        RawHttp.Answer bare = get("/");
        assertEquals(400, bare.status(), bare.text());
    }

    @Test
    void theShellIsServedWithItsContentTypesAndAScriptPolicy() throws Exception {
        RawHttp.Answer index = get("/console/");
        assertEquals(200, index.status());
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertTrue(index.text().contains("<script src=\"app.js\" defer></script>"));
        assertTrue(index.headers().get("content-security-policy").contains("script-src 'self'"));
        assertEquals("nosniff", index.headers().get("x-content-type-options"));
        assertEquals("text/javascript; charset=utf-8", get("/console/app.js").contentType());
        assertEquals("text/css; charset=utf-8", get("/console/console.css").contentType());
        for (String page : List.of("queues.js", "topics.js", "functions.js", "cluster.js")) {
            assertEquals(200, get("/console/" + page).status(), page);
        }
    }

    @Test
    void anUnchangedFileIsRevalidatedWithItsEtag() throws Exception {
        RawHttp.Answer first = get("/console/app.js");
        String etag = first.headers().get("etag");
        assertEquals("no-cache", first.headers().get("cache-control"));
        RawHttp.Answer again = get("/console/app.js", "If-None-Match", etag);
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
    }

    @Test
    void noPathLeavesTheConsoleFolderOrListsIt() throws Exception {
        List<String> hostile = List.of("/console/../simplelogger.properties", "/console/..%2fsimplelogger.properties",
                "/console/%2e%2e/simplelogger.properties", "/console/%2e%2e%2fpom.xml", "/console//etc/passwd",
                "/console/..\\simplelogger.properties", "/console/app.js/..%2f..%2fsimplelogger.properties",
                "/console/%00app.js", "/console/app.js%00.html", "/console/.hidden.js", "/console/console/app.js",
                "/console/dev/sluice/broker/Main.class", "/console/Main.class", "/console/app.js?../../pom.xml",
                "/console/%61pp.js", "/console/~/app.js", "/console/app.js/", "/console/file:app.js",
                "/console/simplelogger.properties", "/console/../../../../etc/passwd", "/console/" + "a".repeat(5000) + ".js");
        for (String target : hostile) {
            RawHttp.Answer answer = get(target);
            String body = answer.text();
            assertFalse(answer.status() == 200 && !target.startsWith("/console/app.js?"), target + " answered " + body);
            assertFalse(body.contains("org.slf4j") || body.contains("root:") || body.contains("<modelVersion>"),
                    target + " leaked " + body);
        }
        // The query string is no part of the file name: the file itself.
        assertEquals(200, get("/console/app.js?../../pom.xml").status());
        for (String folder : List.of("/console/", "/console/?dir", "/console/.")) {
            RawHttp.Answer answer = get(folder);
            assertFalse(answer.text().contains("app.js</a>") || answer.text().contains("queues.js\n"), folder);
        }
    }
}
