package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.AcceptingFunction;
import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Topics, Functions and Cluster pages in a headless Chromium against a real server (auth off), checked through the
 * AWS SDKs and the REST API: a topic made, subscribed and published to from the console delivers to the queue; a
 * subscription to a missing queue shows as failing with its error; a trigger is disabled and enabled again; the cluster
 * page shows the node and its groups, also on a server with four data groups; a group's preferred leader and
 * replication factor are set from the cluster page (checked through {@code GET /v1/cluster}), and the server's refusals
 * (remove or replace the only node, add a node without a port) show as error notices while the page keeps working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsolePagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void aTopicMadeInTheConsoleDeliversWhatTheConsolePublishesToASubscribedQueue() throws Exception {
        String url = server.sqs.createQueue(b -> b.queueName("console-inbox")).queueUrl();
        browser.open("topics/~create");
        browser.type("topic-name", "console-news");
        browser.click("submit-create-topic");
        browser.awaitText(By.cssSelector("[data-test=page-topics] h1"), "console-news");

        browser.select("subscribe-protocol", "sqs");
        browser.type("subscribe-endpoint", "arn:aws:sqs:us-east-1:000000000000:console-inbox");
        browser.click("subscribe-submit");
        browser.await(By.cssSelector("[data-test=subscription-row][data-status=Confirmed]"));

        browser.type("publish-subject", "from the console");
        browser.type("publish-message", "hello, queue");
        browser.click("publish-add-attribute");
        browser.type("publish-attribute-name-0", "origin");
        browser.type("publish-attribute-value-0", "console");
        browser.click("publish-submit");
        browser.awaitNotice("Published message");

        Message message = server.sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)).messages().get(0);
        var envelope = JSON.readTree(message.body());
        assertEquals("hello, queue", envelope.get("Message").asText());
        assertEquals("from the console", envelope.get("Subject").asText());
        assertEquals("console", envelope.get("MessageAttributes").get("origin").get("Value").asText());
        browser.awaitText(By.cssSelector("[data-test=count-delivered] .value"), "1");
        screenshot("topic");
        browser.assertNoSevereLogs();
    }

    @Test
    void theUsagePageShowsWhatTheUsageApiCountsForTheAccount() throws Exception {
        String url = server.sqs.createQueue(b -> b.queueName("console-metered")).queueUrl();
        server.sqs.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(70_000)));
        HttpProbe rest = new HttpProbe(server.port());
        browser.open("usage");
        By requests = By.cssSelector("[data-test=usage-SqsRequests][data-account=\"000000000000\"]");
        browser.await(requests);
        // Other tests' traffic (a console publish fans out into a queue) may still be counted: compare like for like.
        long shown = browser.until(driver -> {
            long counted;
            try {
                counted = JSON.readTree(rest.get("/v1/usage?account=000000000000").body()).get("Totals").get("000000000000")
                        .get("SqsRequests").asLong();
            } catch (Exception notAnswered) {
                return null;
            }
            if (driver.findElement(requests).getText().equals(String.valueOf(counted))) {
                return counted;
            }
            driver.findElement(ConsoleBrowser.byTest("refresh-usage")).click();
            return null;
        });
        assertTrue(shown >= 3, "the create (1) and the 70,000-byte send (2) at least: " + shown);
        screenshot("usage");
        browser.assertNoSevereLogs();
    }

    @Test
    void aSubscriptionToAMissingQueueShowsAsFailingWithItsError() throws Exception {
        try (SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("console-typo")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:console-nowhere"));
            sns.publish(b -> b.topicArn(topic).message("lost"));
        }
        browser.open("topics/console-typo");
        browser.await(By.cssSelector("[data-test=subscription-row][data-status=Failing]"));
        browser.awaitText(ConsoleBrowser.byTest("subscription-error"), "queue console-nowhere does not exist");
        browser.open("topics");
        browser.awaitText(ConsoleBrowser.byTest("topic-list"), "console-typo");
        screenshot("topics");
        browser.assertNoSevereLogs();
    }

    @Test
    void aTriggerIsDisabledAndEnabledAgainFromTheConsole() throws Exception {
        try (AcceptingFunction function = AcceptingFunction.start()) {
            HttpProbe rest = new HttpProbe(server.port());
            assertEquals(201, rest.post("/v1/functions", "{\"FunctionName\":\"console-fn\",\"InvokeUrl\":\""
                    + function.url() + "\",\"Timeout\":3}").statusCode());
            server.sqs.createQueue(b -> b.queueName("console-source"));
            String uuid = JSON.readTree(rest.post("/v1/event-source-mappings", "{\"FunctionName\":\"console-fn\","
                    + "\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:console-source\"}").body()).get("UUID").asText();

            browser.open("functions");
            By row = By.cssSelector("[data-test=mapping-row][data-uuid=\"" + uuid + "\"]");
            browser.await(By.cssSelector("[data-test=mapping-row][data-uuid=\"" + uuid + "\"][data-state=Enabled]"));
            screenshot("functions");
            browser.driver().findElement(row).findElement(ConsoleBrowser.byTest("toggle-mapping")).click();
            browser.awaitNotice("Disabled the trigger of console-fn");
            browser.await(By.cssSelector("[data-test=mapping-row][data-uuid=\"" + uuid + "\"][data-state=Disabled]"));
            assertEquals("Disabled", state(rest, uuid));

            browser.driver().findElement(row).findElement(ConsoleBrowser.byTest("toggle-mapping")).click();
            browser.awaitNotice("Enabled the trigger of console-fn");
            browser.await(By.cssSelector("[data-test=mapping-row][data-uuid=\"" + uuid + "\"][data-state=Enabled]"));
            assertEquals("Enabled", state(rest, uuid));
            browser.assertNoSevereLogs();
        }
    }

    @Test
    void theClusterPageShowsTheNodeAndItsGroupsAlsoWithFourDataGroups(@TempDir Path fourGroupsData) throws Exception {
        browser.open("cluster");
        browser.awaitText(ConsoleBrowser.byTest("node-list"), "n1");
        browser.awaitText(ConsoleBrowser.byTest("node-state"), "up");
        browser.await(By.cssSelector("[data-test=group-row][data-group=data-0]"));
        browser.awaitText(ConsoleBrowser.byTest("node-ready"), "yes");
        browser.assertNoSevereLogs();

        try (SqsTestServer four = SqsTestServer.start(fourGroupsData, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            browser.driver().get("http://127.0.0.1:" + four.port() + "/console/#/cluster");
            for (String group : List.of("data-0", "data-1", "data-2", "data-3")) {
                browser.await(By.cssSelector("[data-test=group-row][data-group=" + group + "]"));
            }
            browser.until(driver -> driver.findElements(ConsoleBrowser.byTest("group-leader")).stream()
                    .filter(leader -> leader.getText().equals("n1")).count() >= 5);
            browser.assertNoSevereLogs();
        }
    }

    @Test
    void aGroupsPreferredLeaderAndReplicationFactorAreSetFromTheClusterPageAndRefusedNodeChangesShowTheirReason() throws Exception {
        HttpProbe rest = new HttpProbe(server.port());
        browser.open("cluster");
        browser.awaitText(By.cssSelector("[data-test=node-row][data-node=n1] [data-test=node-role]"), "active");
        By row = By.cssSelector("[data-test=group-row][data-group=data-0]");
        browser.await(row);

        inRow(row, "#leader-data-0", select -> new Select(select).selectByValue("n1"));
        inRow(row, "[data-test=set-leader]", WebElement::click);
        browser.awaitNotice("Preferred leader of data-0 set to n1.");
        browser.awaitText(By.cssSelector("[data-test=group-row][data-group=data-0] [data-test=group-preferred]"), "n1");
        assertEquals("n1", group(rest, "data-0").get("preferredLeader").asText());

        inRow(row, "#factor-data-0", field -> {
            field.clear();
            field.sendKeys("1");
        });
        inRow(row, "[data-test=set-factor]", WebElement::click);
        browser.awaitNotice("Replication factor of data-0 set to 1.");
        browser.awaitText(By.cssSelector("[data-test=group-row][data-group=data-0] [data-test=group-factor]"), "1");
        assertEquals(1, group(rest, "data-0").get("replicationFactor").asInt());
        browser.awaitText(By.cssSelector("[data-test=group-row][data-group=data-0] [data-test=group-desired]"), "n1");
        browser.awaitText(By.cssSelector("[data-test=group-row][data-group=data-0] [data-test=group-moving]"), "no");

        inRow(By.cssSelector("[data-test=node-row][data-node=n1]"), "[data-test=remove-node]", WebElement::click);
        browser.awaitText(By.id("confirm-text"), "Remove node n1?");
        browser.click("confirm-yes");
        String refusal = browser.awaitNotice("removing n1 would leave 0 node(s)");
        assertTrue(refusal.startsWith("Conflict"), refusal);
        assertEquals("error", browser.driver().findElement(By.id("notice")).getAttribute("class"));
        browser.awaitText(By.cssSelector("[data-test=node-row][data-node=n1] [data-test=node-role]"), "active");

        inRow(By.cssSelector("[data-test=node-row][data-node=n1]"), "[data-test=replace-node]", WebElement::click);
        browser.awaitText(By.id("confirm-text"), "Replace node n1?");
        browser.click("confirm-yes");
        browser.awaitNotice("node n1 is the only node; nothing to copy from");

        browser.type("add-node-id", "n2");
        browser.type("add-node-raft", "no-port");
        browser.click("add-node-submit");
        browser.awaitNotice("raftAddress host:port");
        JsonNode cluster = JSON.readTree(rest.get("/v1/cluster").body());
        assertEquals(1, cluster.get("nodes").size());
        assertEquals("active", cluster.get("nodes").get(0).get("role").asText());

        screenshot("cluster");
        // The refused calls are logged by the browser as failed resources; nothing else may be.
        browser.assertNoSevereLogsBut("/v1/cluster/nodes");
    }

    /**
     * Acts on an element of a table row; the page rebuilds its tables every few seconds, so an element found just
     * before a rebuild is tried again in the new row.
     */
    private static void inRow(By row, String css, Consumer<WebElement> action) {
        browser.until(driver -> {
            try {
                action.accept(driver.findElement(row).findElement(By.cssSelector(css)));
                return true;
            } catch (StaleElementReferenceException rebuilt) {
                return null;
            }
        });
    }

    private static JsonNode group(HttpProbe rest, String name) throws Exception {
        for (JsonNode group : JSON.readTree(rest.get("/v1/cluster").body()).get("groups")) {
            if (group.get("name").asText().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no group " + name);
    }

    /** The page from its top, without the notice an earlier step left. */
    private static void screenshot(String name) throws Exception {
        browser.script("document.getElementById('notice').hidden = true; window.scrollTo(0, 0)");
        browser.screenshot(name);
    }

    private static String state(HttpProbe rest, String uuid) throws Exception {
        return JSON.readTree(rest.get("/v1/event-source-mappings/" + uuid).body()).get("State").asText();
    }
}
