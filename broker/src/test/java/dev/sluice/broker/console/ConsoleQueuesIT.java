package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The Queues page in a headless Chromium against a real server (auth off), as an operator uses it; every effect is
 * checked through the AWS SDK, not through the page.
 */
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

    private static String attribute(String url, QueueAttributeName name) {
        return server.sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(name)).attributes().get(name);
    }

    private static By cell(String test, String queue) {
        return By.cssSelector("[data-test=" + test + "][data-queue=\"" + queue + "\"]");
    }

    @Test
    void theQueueListShowsEveryQueueWithItsDepthWithoutASignIn() throws Exception {
        String url = server.sqs.createQueue(request -> request.queueName("listed")).queueUrl();
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("one"));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("two"));
        browser.open("queues");
        browser.awaitPage("queues");
        browser.awaitText(cell("visible", "listed"), "2");
        assertEquals("listed", browser.await(cell("queue-link", "listed")).getText());
        assertTrue(browser.driver().findElements(By.cssSelector("form.signin")).isEmpty());
        assertFalse(browser.driver().findElement(By.id("signout")).isDisplayed());
        assertEquals(2, browser.driver().findElements(By.cssSelector("tr:has([data-queue=listed]) svg.spark")).size());
        browser.screenshot("queues");
        browser.assertNoSevereLogs();
    }

    @Test
    void aQueueIsCreatedFedPolledPeekedPurgedAndDeleted() throws Exception {
        browser.open("queues");
        browser.click("create-queue");
        browser.type("queue-name", "console-flow");
        browser.type("attr-VisibilityTimeout", "45");
        browser.type("queue-tags", "team=ops");
        browser.screenshot("queue-create");
        browser.click("create-submit");
        browser.awaitText(ConsoleBrowser.byTest("queue-name"), "console-flow");
        String url = server.sqs.getQueueUrl(request -> request.queueName("console-flow")).queueUrl();
        assertEquals("45", attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT));
        assertEquals(Map.of("team", "ops"), server.sqs.listQueueTags(request -> request.queueUrl(url)).tags());

        browser.click("tab-send");
        for (String body : List.of("first", "second")) {
            browser.type("send-body", body);
            browser.type("send-attributes", "source=console");
            browser.click("send-message");
            browser.awaitNotice("Sent message");
            browser.script("document.getElementById('notice').hidden = true");
        }
        browser.screenshot("queue-send");
        assertEquals("2", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));

        browser.click("tab-poll");
        browser.type("poll-visibility", "600");
        browser.type("poll-max", "1");
        browser.type("poll-wait", "0");
        browser.click("poll-messages");
        WebElement polled = browser.await(By.cssSelector("[data-test=poll-results] [data-test=message-body]"));
        assertEquals("first", polled.getText());
        assertEquals("1", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        browser.screenshot("queue-poll");

        browser.click("tab-peek");
        browser.until(driver -> driver.findElements(ConsoleBrowser.byTest("peek-state")).size() == 2);
        List<String> states = browser.driver().findElements(ConsoleBrowser.byTest("peek-state")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("in flight", "visible"), states);
        List<String> receives = browser.driver().findElements(ConsoleBrowser.byTest("peek-receives")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("1", "0"), receives);
        browser.click("peek-messages");
        browser.screenshot("queue-peek");
        // The peeks changed nothing: one message in flight, one visible and never received before.
        assertEquals("1", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        Message second = server.sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals("second", second.body());
        assertEquals("1", second.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        server.sqs.changeMessageVisibility(request -> request.queueUrl(url).receiptHandle(second.receiptHandle())
                .visibilityTimeout(0));

        // Back on the poll tab (a fresh one): receive the visible message, then delete it by its receipt handle.
        browser.click("tab-poll");
        browser.type("poll-visibility", "600");
        browser.type("poll-wait", "0");
        browser.click("poll-messages");
        browser.awaitText(By.cssSelector("[data-test=poll-results] [data-test=message-body]"), "second");
        browser.click("poll-select");
        browser.click("delete-selected");
        browser.awaitNotice("Deleted 1 message");
        assertEquals("0", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("1", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));

        browser.click("purge-queue");
        browser.click("confirm-yes");
        browser.awaitNotice("Purged queue console-flow");
        assertEquals("0", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));

        browser.click("tab-overview");
        browser.type("attr-DelaySeconds", "7");
        browser.click("save-attributes");
        browser.awaitNotice("Saved the settings");
        assertEquals("7", attribute(url, QueueAttributeName.DELAY_SECONDS));
        browser.type("attr-DelaySeconds", "901");
        browser.click("save-attributes");
        browser.awaitText(By.id("settings-error"), "InvalidAttributeValue");
        // The refused call is the only error the browser saw.
        browser.assertNoSevereLogsBut("/console-flow/attributes - Failed to load resource: the server responded with a status "
                + "of 400");

        browser.click("tab-tags");
        browser.click("remove-tag");
        browser.type("tag-key", "env");
        browser.type("tag-value", "prod");
        browser.click("add-tag");
        browser.awaitText(ConsoleBrowser.byTest("tag-list"), "prod");
        assertEquals(Map.of("env", "prod"), server.sqs.listQueueTags(request -> request.queueUrl(url)).tags());

        browser.click("delete-queue");
        browser.click("confirm-no");
        assertEquals("0", attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        browser.click("delete-queue");
        browser.click("confirm-yes");
        browser.awaitNotice("Deleted queue console-flow");
        browser.awaitPage("queues");
        org.junit.jupiter.api.Assertions.assertThrows(QueueDoesNotExistException.class,
                () -> server.sqs.getQueueUrl(request -> request.queueName("console-flow")));
        browser.assertNoSevereLogs();
    }

    @Test
    void aFifoQueueIsCreatedAndFedWithAMessageGroup() throws Exception {
        browser.open("queues/~create");
        browser.type("queue-name", "console-ordered");
        browser.select("queue-type", "fifo");
        browser.select("attr-ContentBasedDeduplication", "true");
        browser.click("create-submit");
        browser.awaitText(ConsoleBrowser.byTest("queue-name"), "console-ordered.fifo");
        String url = server.sqs.getQueueUrl(request -> request.queueName("console-ordered.fifo")).queueUrl();
        assertEquals("true", attribute(url, QueueAttributeName.CONTENT_BASED_DEDUPLICATION));
        browser.click("tab-send");
        browser.type("send-body", "in order");
        browser.type("send-group-id", "customer-7");
        browser.click("send-message");
        browser.awaitNotice("Sent message");
        Message received = server.sqs.receiveMessage(request -> request.queueUrl(url)
                .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages().get(0);
        assertEquals("in order", received.body());
        assertEquals("customer-7", received.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        browser.assertNoSevereLogs();
    }

    @Test
    void aDeadLetterQueueShowsItsSourceAndRedrivesItsMessagesBack() throws Exception {
        String dlqUrl = server.sqs.createQueue(request -> request.queueName("console-dlq")).queueUrl();
        String dlqArn = attribute(dlqUrl, QueueAttributeName.QUEUE_ARN);
        String sourceUrl = server.sqs.createQueue(request -> request.queueName("console-source").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}")))
                .queueUrl();
        for (int i = 0; i < 3; i++) {
            server.sqs.sendMessage(request -> request.queueUrl(sourceUrl).messageBody("poison"));
        }
        while (!"3".equals(attribute(dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))) {
            server.sqs.receiveMessage(request -> request.queueUrl(sourceUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                    .waitTimeSeconds(1));
        }
        browser.open("queues/console-dlq/dlq");
        browser.awaitText(cell("dlq-source", "console-source"), "console-source");
        browser.type("redrive-rate", "10");
        browser.click("start-redrive");
        browser.awaitText(ConsoleBrowser.byTest("task-status"), "COMPLETED");
        browser.awaitText(ConsoleBrowser.byTest("task-moved"), "3");
        browser.screenshot("queue-dead-letter");
        assertEquals("3", attribute(sourceUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("0", attribute(dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        browser.assertNoSevereLogs();
    }

    @Test
    void namesBodiesAndAttributesThatLookLikeMarkupAreShownAsTextAndNeverRun() throws Exception {
        String hostileBody = "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked = 2\">&amp;";
        String hostileAttribute = "\"><svg onload=\"window.hacked = 3\">";
        for (String name : List.of("-", "a_-_b")) {
            String url = server.sqs.createQueue(request -> request.queueName(name)).queueUrl();
            server.sqs.sendMessage(request -> request.queueUrl(url).messageBody(hostileBody).messageAttributes(Map.of("x",
                    software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String")
                            .stringValue(hostileAttribute).build())));
            browser.open("queues");
            browser.await(cell("queue-link", name)).click();
            browser.awaitText(ConsoleBrowser.byTest("queue-name"), name);
            browser.click("tab-peek");
            WebElement body = browser.await(By.cssSelector("[data-test=peek-results] [data-test=message-body]"));
            assertEquals(hostileBody, body.getText());
            assertTrue(browser.await(By.cssSelector("[data-test=peek-results]")).getText().contains(hostileAttribute));
            browser.click("tab-poll");
            browser.type("poll-wait", "0");
            browser.click("poll-messages");
            assertEquals(hostileBody, browser.await(By.cssSelector("[data-test=poll-results] [data-test=message-body]"))
                    .getText());
        }
        assertNull(browser.script("return window.hacked === undefined ? null : window.hacked"));
        assertTrue(browser.driver().findElements(By.cssSelector("main img, main svg[onload], main script")).isEmpty());
        browser.assertNoSevereLogs();
    }
}
