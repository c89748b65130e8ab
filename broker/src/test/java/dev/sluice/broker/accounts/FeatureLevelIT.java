package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.service.EdgeUsage;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.raftstore.ClusterFeatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A rolling upgrade as the cluster's feature level sees it: while a node of the view runs level 1 (a node of the
 * release before edge usage and quotas, played here by a node started at level 1), edge usage stays buffered on the
 * node instead of being proposed, and quotas other than the defaults are refused with a 4xx naming the upgrade; once
 * the node publishes level 2 the buffer flushes and {@code /v1/usage} shows every count exactly once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FeatureLevelIT {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path data;

    @Test
    void edgeUsageWaitsOnTheNodeAndQuotasAreRefusedUntilEveryNodeRunsLevelTwo() throws Exception {
        SluiceConfig defaults = SluiceConfig.defaults();
        SluiceConfig config = AccountsIT.keyed(Optional.of(AccountsIT.clusterKey(3))).apply(defaults
                .withHttp(defaults.http().withPort(0)).withRaft(defaults.raft()
                        .withNode("n1", "127.0.0.1", dev.sluice.raftstore.testing.FreePorts.next()).withDataDirectory(data)
                        .withAllowTemporaryStorage(true).withDataGroups(1).withFeatureLevel(1)));
        try (SluiceServer server = SluiceServer.start(config, List.of(), java.time.InstantSource.system())) {
            AdminApi admin = new AdminApi(server.httpPort(), AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
            awaitReady(server);
            AdminApi.Answer cluster = admin.call("GET", "/v1/cluster", null);
            assertEquals(1, cluster.body().get("nodes").get(0).get("featureLevel").asInt(), cluster.text());
            assertEquals(1, cluster.body().get("effectiveFeatureLevel").asInt(), cluster.text());

            String account = admin.createAccount("Upgrading");
            String quotas = "/v1/admin/accounts/" + account + "/quotas";
            AdminApi.Answer refused = admin.call("PUT", quotas, "{\"queues\":5}");
            assertEquals(409, refused.status(), refused.text());
            assertTrue(refused.text().contains("feature level 2") && refused.text().contains("upgrad"), refused.text());
            assertEquals(1_000, admin.call("GET", quotas, null).body().get("quotas").get("queues").asLong(),
                    "the refused change wrote nothing");

            AwsCredentials keys = admin.createKey(account);
            long emptyReceivesAt;
            long before;
            try (SqsClient sqs = admin.sqs(keys)) {
                AccountsIT.awaitWorking(sqs);
                String url = sqs.createQueue(b -> b.queueName("idle")).queueUrl();
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages().size());
                }
                emptyReceivesAt = System.nanoTime();
                before = sqsRequests(admin, account);
            }
            assertEquals(List.of(), slots(server), "below level 2 the queue quota is counted at the edge only");
            // Past a flush tick: had the flush been proposed, the three empty receives would show now.
            Thread.sleep(Math.max(0, EdgeUsage.FLUSH_MILLIS + 1_000
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - emptyReceivesAt)));
            assertEquals(before, sqsRequests(admin, account), "held back on the node while a level-1 node is in the view");

            // The node publishes level 2, as it does when it restarts on the new release.
            server.node().catalog().put(ClusterFeatures.NODE_LEVELS, "n1", ClusterFeatures.encodeLevel(2)).join();
            AdminApi.Answer upgraded = admin.call("GET", "/v1/cluster", null);
            assertEquals(2, upgraded.body().get("effectiveFeatureLevel").asInt(), upgraded.text());

            long deadline = System.nanoTime() + BOUND.toNanos();
            while (sqsRequests(admin, account) != before + 3) {
                assertTrue(System.nanoTime() < deadline, "usage after the upgrade: " + sqsRequests(admin, account)
                        + ", expected " + (before + 3));
                Thread.sleep(100);
            }
            AdminApi.Answer changed = admin.call("PUT", quotas, "{\"queues\":5}");
            assertEquals(200, changed.status(), changed.text());
            assertEquals(5, changed.body().get("quotas").get("queues").asLong(), changed.text());
            try (SqsClient sqs = admin.sqs(keys)) {
                sqs.createQueue(b -> b.queueName("busy"));
            }
            assertEquals(List.of(account + "/busy", account + "/idle"), slots(server),
                    "at level 2 a create claims its slot, and the queue from before got one");
        }
    }

    private static List<String> slots(SluiceServer server) {
        return server.node().catalog().scan(dev.sluice.broker.service.QueueCountQueueClient.SLOTS, "", null, 100).join()
                .entries().stream().map(dev.sluice.raftstore.catalog.Catalog.Entry::key).toList();
    }

    private static long sqsRequests(AdminApi admin, String account) {
        AdminApi.Answer usage = admin.call("GET", "/v1/usage?account=" + account, null);
        assertEquals(200, usage.status(), usage.text());
        return usage.body().path("Totals").path(account).path("SqsRequests").asLong(0);
    }

    private static void awaitReady(SluiceServer server) throws InterruptedException {
        long ready = System.nanoTime() + BOUND.toNanos();
        while (!server.node().health().ready()) {
            assertTrue(System.nanoTime() < ready, "not ready: " + server.node().health());
            Thread.sleep(50);
        }
    }
}
