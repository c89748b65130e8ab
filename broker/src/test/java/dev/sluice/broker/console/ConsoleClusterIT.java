package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The console on a 3-process cluster with two data groups (auth off), opened on the node that leads neither: every queue
 * action works through it, the queue list shows the rates and oldest age of queues whose groups other nodes lead,
 * a topic's counts add up what every node published and delivered, and another node's console shows the same queues
 * and depths. Effects are checked through the AWS SDKs on another node. Multi-process, so {@code cluster}-tagged.
 */
@Tag("cluster")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ConsoleClusterIT {
    private static final int NODES = 3;
    /** Fewer groups than nodes: one node leads none, and its console is the one used. */
    private static final int GROUPS = 2;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static By cell(String test, String queue) {
        return By.cssSelector("[data-test=" + test + "][data-queue=\"" + queue + "\"]");
    }

    @Test
    void aConsoleOnANodeLeadingNoGroupDoesEverythingAndShowsTheClustersNumbers() throws Exception {
        try (SluiceProcesses cluster = new SluiceProcesses(NODES, List.of("--data-groups", Integer.toString(GROUPS)))) {
            // A generous bound: three JVMs start on a shared 2-core machine (load averages near 100 were seen).
            cluster.startAll(Duration.ofSeconds(240));
            int console = nodeLeadingNoGroup(cluster);
            try (SqsClient sqs = SqsTestServer.client(cluster.httpPorts[0]);
                    SnsClient sns0 = SnsClients.client(cluster.httpPorts[0]);
                    SnsClient sns1 = SnsClients.client(cluster.httpPorts[1]);
                    ConsoleBrowser browser = ConsoleBrowser.start(cluster.httpPorts[console])) {
                queueFlow(cluster, console, sqs, browser);
                deadLetterRedrive(sqs, browser);
                topicFlow(sqs, List.of(sns0, sns1), browser);
                browser.assertNoSevereLogs();
            } catch (Exception | AssertionError failure) {
                throw new AssertionError(failure.getMessage() + cluster.logTails(), failure);
            }
        }
    }

    /**
     * Once every data group is led by its preferred leader (the layout spreads them over the nodes, and each node hands
     * a group to its preferred leader), the node that leads none: two groups on three nodes leave one.
     */
    private static int nodeLeadingNoGroup(SluiceProcesses cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            java.util.Set<Integer> leaders = new java.util.TreeSet<>();
            boolean settled = true;
            for (Object listed : get(cluster.httpPorts[0], "/v1/cluster").getJsonArray("groups")) {
                JsonObject group = (JsonObject) listed;
                if (!group.getString("name").startsWith("data-")) {
                    continue;
                }
                String leader = group.getString("leader");
                settled &= leader != null && !leader.isEmpty() && leader.equals(group.getString("preferredLeader"));
                if (leader != null && !leader.isEmpty()) {
                    leaders.add(Integer.parseInt(leader.substring(1)) - 1);
                }
            }
            if (settled) {
                for (int node = 0; node < NODES; node++) {
                    if (!leaders.contains(node)) {
                        return node;
                    }
                }
            }
            assertTrue(System.nanoTime() < deadline, "the data groups' leaders did not settle on their preferred ones");
            Thread.sleep(500);
        }
    }

    private static void queueFlow(SluiceProcesses cluster, int console, SqsClient sqs, ConsoleBrowser browser)
            throws Exception {
        browser.open("queues/~create");
        browser.type("queue-name", "cluster-flow");
        browser.click("create-submit");
        browser.awaitText(ConsoleBrowser.byTest("queue-name"), "cluster-flow");
        String url = sqs.getQueueUrl(request -> request.queueName("cluster-flow")).queueUrl();
        String group = get(cluster.httpPorts[0], "/v1/queues/cluster-flow").getJsonArray("groups").getString(0);
        int leader = cluster.leaderOf(group, 0);

        browser.click("tab-send");
        browser.type("send-body", "first");
        browser.type("send-attributes", "origin=console\ncount:Number=42\nchecksum:Binary=AAH+\nsize:Number.int=7");
        browser.click("send-message");
        browser.awaitNotice("Sent message");
        // Hidden, the notice shows no text until the next one: the wait below is for the second send.
        browser.script("document.getElementById('notice').hidden = true");
        browser.type("send-body", "second");
        browser.type("send-attributes", "");
        browser.click("send-message");
        browser.awaitNotice("Sent message");
        assertEquals("2", attribute(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));

        browser.click("tab-peek");
        browser.until(driver -> driver.findElements(ConsoleBrowser.byTest("peek-state")).size() == 2);
        String peeked = browser.await(By.cssSelector("[data-test=peek-results] td")).getText();
        assertTrue(peeked.contains("count (Number) = 42") && peeked.contains("checksum (Binary) = base64 AAH+")
                && peeked.contains("size (Number.int) = 7") && peeked.contains("origin = console"), peeked);

        browser.click("tab-poll");
        browser.type("poll-visibility", "600");
        browser.type("poll-max", "1");
        browser.type("poll-wait", "0");
        browser.click("poll-messages");
        browser.awaitText(By.cssSelector("[data-test=poll-results] [data-test=message-body]"), "first");
        browser.click("poll-select");
        browser.click("delete-selected");
        browser.awaitNotice("Deleted 1 message");
        assertEquals("0", attribute(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        assertEquals("1", attribute(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));

        // The list on a node that does not lead the queue's group: its numbers come from the leader. Elections on a
        // loaded machine may move the leadership meanwhile: then again on a node that does not lead it.
        int viewer = -1;
        for (int attempt = 0; attempt < 3 && viewer < 0; attempt++) {
            int leading = cluster.leaderOf(group, 0);
            int candidate = leading != console ? console : (console + 1) % NODES;
            browser.use(cluster.httpPorts[candidate]);
            browser.open("queues");
            browser.awaitText(cell("visible", "cluster-flow"), "1");
            browser.until(driver -> !driver.findElement(cell("oldest", "cluster-flow")).getText().equals("—"));
            // A rate needs two refreshes of the counters (5 s apart).
            browser.until(driver -> driver.findElement(cell("sent-rate", "cluster-flow")).getText().endsWith("/s"));
            browser.until(driver -> driver.findElement(cell("received-rate", "cluster-flow")).getText().endsWith("/s"));
            if (cluster.leaderOf(group, 0) == leading) {
                viewer = candidate;
            }
        }
        assertTrue(viewer >= 0, "a node not leading " + group + " showed its queue's numbers");
        JsonObject stats = listedStats(cluster.httpPorts[viewer], "cluster-flow");
        // The counts are the leader's own: exact while leadership stayed put (an election under load restarts them).
        if (cluster.leaderOf(group, 0) == leader) {
            assertEquals(2, stats.getLong("sent"), "counted once, by the group's leader: " + stats.encode());
            assertEquals(1, stats.getLong("received"));
            assertEquals(1, stats.getLong("deleted"));
        }
        int other = (viewer + 1) % NODES;
        assertEquals(stats.getLong("visible"), listedStats(cluster.httpPorts[other], "cluster-flow").getLong("visible"),
                "every node gives the same numbers");

        // Another node's console shows the same queue and depth.
        browser.use(cluster.httpPorts[other]);
        browser.open("queues");
        browser.awaitText(cell("visible", "cluster-flow"), "1");
        browser.until(driver -> !driver.findElement(cell("oldest", "cluster-flow")).getText().equals("—"));
        browser.use(cluster.httpPorts[console]);

        browser.open("queues/cluster-flow");
        browser.click("delete-queue");
        browser.click("confirm-yes");
        browser.awaitNotice("Deleted queue cluster-flow");
        org.junit.jupiter.api.Assertions.assertThrows(QueueDoesNotExistException.class,
                () -> sqs.getQueueUrl(request -> request.queueName("cluster-flow")));
    }

    private static void deadLetterRedrive(SqsClient sqs, ConsoleBrowser browser) throws Exception {
        String dlqUrl = sqs.createQueue(request -> request.queueName("cluster-dlq")).queueUrl();
        String dlqArn = attribute(sqs, dlqUrl, QueueAttributeName.QUEUE_ARN);
        String sourceUrl = sqs.createQueue(request -> request.queueName("cluster-source").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}")))
                .queueUrl();
        for (int i = 0; i < 2; i++) {
            sqs.sendMessage(request -> request.queueUrl(sourceUrl).messageBody("poison"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"2".equals(attribute(sqs, dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))) {
            assertTrue(System.nanoTime() < deadline, "the poison messages reach the dead-letter queue");
            sqs.receiveMessage(request -> request.queueUrl(sourceUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                    .waitTimeSeconds(1));
        }
        browser.open("queues/cluster-dlq/dlq");
        browser.awaitText(cell("dlq-source", "cluster-source"), "cluster-source");
        browser.type("redrive-rate", "10");
        browser.click("start-redrive");
        browser.awaitText(ConsoleBrowser.byTest("task-status"), "COMPLETED");
        browser.awaitText(ConsoleBrowser.byTest("task-moved"), "2");
        assertEquals("2", attribute(sqs, sourceUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("0", attribute(sqs, dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static void topicFlow(SqsClient sqs, List<SnsClient> otherNodes, ConsoleBrowser browser) throws Exception {
        String inbox = sqs.createQueue(request -> request.queueName("cluster-inbox")).queueUrl();
        browser.open("topics/~create");
        browser.type("topic-name", "cluster-news");
        browser.click("submit-create-topic");
        browser.awaitText(By.cssSelector("[data-test=page-topics] h1"), "cluster-news");
        browser.select("subscribe-protocol", "sqs");
        browser.type("subscribe-endpoint", "arn:aws:sqs:us-east-1:000000000000:cluster-inbox");
        browser.click("subscribe-submit");
        browser.await(By.cssSelector("[data-test=subscription-row][data-status=Confirmed]"));
        browser.type("publish-message", "hello from the console");
        browser.click("publish-submit");
        browser.awaitNotice("Published message");

        // The message arrives: in the inbox's peek on the console, and for a consumer on another node.
        browser.open("queues/cluster-inbox/peek");
        browser.awaitText(By.cssSelector("[data-test=peek-results] [data-test=message-body]"), "hello from the console");
        Message arrived = sqs.receiveMessage(request -> request.queueUrl(inbox).waitTimeSeconds(10)).messages().get(0);
        assertTrue(arrived.body().contains("hello from the console"), arrived.body());
        sqs.deleteMessage(request -> request.queueUrl(inbox).receiptHandle(arrived.receiptHandle()));

        // Publishes answered by the other nodes: the topic page adds up every node's counts.
        String topicArn = "arn:aws:sns:us-east-1:000000000000:cluster-news";
        for (SnsClient other : otherNodes) {
            other.publish(request -> request.topicArn(topicArn).message("from another node"));
        }
        int total = 1 + otherNodes.size();
        browser.open("topics/cluster-news");
        browser.awaitText(By.cssSelector("[data-test=count-published] .value"), Integer.toString(total));
        browser.awaitText(By.cssSelector("[data-test=count-delivered] .value"), Integer.toString(total));
        assertTrue(browser.driver().findElements(ConsoleBrowser.byTest("counts-missing")).isEmpty());
    }

    private static String attribute(SqsClient sqs, String url, QueueAttributeName name) {
        return sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(name)).attributes().get(name);
    }

    private static JsonObject listedStats(int port, String queue) throws Exception {
        JsonObject listed = get(port, "/v1/queues?stats=true&prefix=" + queue);
        return listed.getJsonArray("queues").getJsonObject(0).getJsonObject("stats");
    }

    private static JsonObject get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new JsonObject(response.body());
    }
}
