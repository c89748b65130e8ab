package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The Queues page in a headless Chromium against a real server (auth off), checked through the AWS SDK. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleQueuesIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        browser = ConsoleBrowser.start(server.port());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @Test
    void theQueueListShowsAQueueAndItsDepth() throws Exception {
        String url = server.sqs.createQueue(request -> request.queueName("listed")).queueUrl();
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("one"));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("two"));
        browser.open("queues");
        browser.awaitPage("queues");
        browser.awaitText(By.cssSelector("[data-test=visible][data-queue=listed]"), "2");
        assertEquals("listed", browser.await(By.cssSelector("[data-test=queue-link][data-queue=listed]")).getText());
        browser.screenshot("queues");
        browser.assertNoSevereLogs();
    }
}
