package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The console on a server with access keys: it asks for a key, refuses a wrong one with a clear message, signs every
 * call with the right one (kept in the tab's sessionStorage only, never in the URL), and forgets it on sign-out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleSignInIT {
    private static final String KEY_ID = "AKIDCONSOLE";
    private static final String SECRET = "console-secret-5678/+=";
    @TempDir
    static Path data;
    static SqsTestServer server;
    static ConsoleBrowser browser;
    static SqsClient signed;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(KEY_ID, SECRET)))));
        signed = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        browser = ConsoleBrowser.start(server.port());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        signed.close();
        server.close();
    }

    private static void signIn(String keyId, String secret) {
        browser.type("signin-key", keyId);
        browser.type("signin-secret", secret);
        browser.click("signin");
    }

    @Test
    void aWrongKeyIsRefusedClearlyAndTheRightOneSignsEveryCall() throws Exception {
        String url = signed.createQueue(request -> request.queueName("signed-queue")).queueUrl();
        signed.sendMessage(request -> request.queueUrl(url).messageBody("signed body"));
        browser.open("queues");
        browser.awaitPage("signin");
        browser.screenshot("sign-in");
        assertTrue(browser.driver().findElements(ConsoleBrowser.byTest("queue-list")).isEmpty());

        signIn("AKIDNOBODY", SECRET);
        browser.awaitText(By.id("signin-error"), "Unknown access key id");
        signIn(KEY_ID, "not-the-secret");
        browser.awaitText(By.id("signin-error"), "secret access key is wrong");

        signIn(KEY_ID, SECRET);
        browser.awaitText(By.cssSelector("[data-test=visible][data-queue=signed-queue]"), "1");
        assertTrue(browser.driver().findElement(By.id("signout")).getText().contains(KEY_ID));
        assertFalse(browser.driver().getCurrentUrl().contains("secret"));
        assertEquals(SECRET, browser.script("return sessionStorage.getItem('sluice.secretAccessKey')"));
        assertNull(browser.script("return localStorage.getItem('sluice.secretAccessKey')"));
        assertEquals("", browser.script("return document.cookie"));

        // A signed write with a body and a query string: the send form's message arrives.
        browser.go("queues/signed-queue/send");
        browser.type("send-body", "from the console ✓");
        browser.type("send-attributes", "origin=console + browser");
        browser.click("send-message");
        browser.awaitNotice("Sent message");
        assertEquals("2", signed.getQueueAttributes(request -> request.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));

        browser.click("signout");
        browser.awaitPage("signin");
        assertNull(browser.script("return sessionStorage.getItem('sluice.secretAccessKey')"));
        browser.assertNoSevereLogsBut("401", "403");
    }

    /**
     * With auth on, the console's other signed calls work as they do without: peek (a GET with a query string), poll
     * with a visibility timeout and delete by receipt handle, a redrive from a dead-letter queue, and a topic created,
     * subscribed to a queue and published to from the console, the message arriving in the queue.
     */
    @Test
    void signedInTheConsolePeeksPollsDeletesRedrivesAndPublishesToASubscribedQueue() throws Exception {
        String url = signed.createQueue(request -> request.queueName("signed-flow")).queueUrl();
        signed.sendMessage(request -> request.queueUrl(url).messageBody("signed flow body"));
        browser.open("queues/signed-flow/peek");
        if (!browser.driver().findElements(By.cssSelector("form.signin")).isEmpty()) {
            signIn(KEY_ID, SECRET);
        }
        browser.go("queues/signed-flow/peek");
        browser.awaitText(ConsoleBrowser.byTest("peek-receives"), "0");
        browser.go("queues/signed-flow/poll");
        browser.type("poll-visibility", "600");
        browser.type("poll-wait", "0");
        browser.click("poll-messages");
        browser.awaitText(By.cssSelector("[data-test=poll-results] [data-test=message-body]"), "signed flow body");
        browser.click("poll-select");
        browser.click("delete-selected");
        browser.awaitNotice("Deleted 1 message");
        assertEquals("0", depth(url, "ApproximateNumberOfMessagesNotVisible"));

        String dlqUrl = signed.createQueue(request -> request.queueName("signed-dlq")).queueUrl();
        String sourceUrl = signed.createQueue(request -> request.queueName("signed-source").attributesWithStrings(java.util.Map.of(
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:signed-dlq\",\"maxReceiveCount\":1}")))
                .queueUrl();
        signed.sendMessage(request -> request.queueUrl(sourceUrl).messageBody("poison"));
        while (!"1".equals(depth(dlqUrl, "ApproximateNumberOfMessages"))) {
            signed.receiveMessage(request -> request.queueUrl(sourceUrl).visibilityTimeout(0).waitTimeSeconds(1));
        }
        browser.go("queues/signed-dlq/dlq");
        browser.awaitText(By.cssSelector("[data-test=dlq-source][data-queue=\"signed-source\"]"), "signed-source");
        browser.type("redrive-rate", "10");
        browser.click("start-redrive");
        browser.awaitText(ConsoleBrowser.byTest("task-status"), "COMPLETED");
        assertEquals("1", depth(sourceUrl, "ApproximateNumberOfMessages"));

        String inbox = signed.createQueue(request -> request.queueName("signed-inbox")).queueUrl();
        browser.go("topics/~create");
        browser.type("topic-name", "signed-news");
        browser.click("submit-create-topic");
        browser.awaitText(By.cssSelector("[data-test=page-topics] h1"), "signed-news");
        browser.select("subscribe-protocol", "sqs");
        browser.type("subscribe-endpoint", "arn:aws:sqs:us-east-1:000000000000:signed-inbox");
        browser.click("subscribe-submit");
        browser.await(By.cssSelector("[data-test=subscription-row][data-status=Confirmed]"));
        browser.type("publish-message", "signed publish");
        browser.click("publish-submit");
        browser.awaitNotice("Published message");
        var messages = signed.receiveMessage(request -> request.queueUrl(inbox).waitTimeSeconds(10)).messages();
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).body().contains("signed publish"), messages.get(0).body());

        browser.click("signout");
        browser.awaitPage("signin");
        browser.assertNoSevereLogsBut("401", "403");
    }

    private static String depth(String url, String attribute) {
        return signed.getQueueAttributes(request -> request.queueUrl(url).attributeNamesWithStrings(attribute))
                .attributesAsStrings().get(attribute);
    }

    @Test
    void theConsoleIsReachedUnsignedWhileTheApiStillDemandsASignature() throws Exception {
        dev.sluice.broker.hostile.RawHttp http = new dev.sluice.broker.hostile.RawHttp(server.port());
        var redirect = http.send("GET", "/", List.of(java.util.Map.entry("Accept", "text/html")), new byte[0]);
        assertEquals(302, redirect.status());
        assertEquals("/console/", redirect.headers().get("location"));
        for (String file : List.of("/console/", "/console/app.js", "/console/queues.js", "/console/console.css")) {
            assertEquals(200, http.send("GET", file, List.of(), new byte[0]).status(), file);
        }
        assertEquals(403, http.send("GET", "/v1/queues", List.of(), new byte[0]).status());
        assertEquals(403, http.send("GET", "/?Action=ListQueues", List.of(java.util.Map.entry("Accept", "text/html")),
                new byte[0]).status());
    }

    @Test
    void theConsolesHashesAgreeWithJavasOnEveryLengthAndAlphabet() throws Exception {
        browser.open("queues");
        for (String text : List.of("", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "a".repeat(119),
                "é漢😀".repeat(40))) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(sha, browser.script("return Sluice.sha256Hex(arguments[0])", text), text);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("k".repeat(70).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertEquals(HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8))),
                    browser.script("return Sluice.hmacHex(arguments[0], arguments[1])", "k".repeat(70), text), text);
        }
    }
}
