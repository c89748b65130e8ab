package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.service.NotifyCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * What a crash part-way through DeleteTopic, Unsubscribe or CreateTopic leaves behind (made here directly
 * through the catalog and the in-process queue client) is reaped by the notify refresh; a live topic's
 * queues and a young ownerless queue (a CreateTopic in progress) are not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanReapingIT {
    private static final String PREFIX = ReservedQueueNames.PREFIX;

    @TempDir
    Path data;

    @Test
    void ownerlessSubscriptionsAndOldOwnerlessInternalQueuesAreReapedAndLiveOnesKept() throws Exception {
        AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
        InstantSource clock = () -> Instant.now().plus(ahead.get());
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withNotifications(
                new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))), clock);
                SnsClient sns = SnsClients.client(server.port())) {
            QueueClient queues = server.sluice().queueClient();
            NotifyCatalog catalog = new NotifyCatalog(server.sluice().node().catalog());
            String live = sns.createTopic(b -> b.name("live")).topicArn();
            sns.subscribe(b -> b.topicArn(live).protocol("http").endpoint("http://127.0.0.1:9/hook"));
            Set<String> liveQueues = internalQueues(queues);
            assertEquals(2, liveQueues.size(), "the live topic's outbox and its subscription's delivery queue: " + liveQueues);

            String orphanOutbox = PREFIX + "topic-" + UUID.randomUUID();
            String orphanDelivery = PREFIX + "sub-" + UUID.randomUUID();
            Subscription orphanSubscription = new Subscription(UUID.randomUUID().toString(), "deleted-topic", "http",
                    "http://127.0.0.1:9/gone", Map.of(), true, "token", null);
            String orphanSubscriptionQueue = PREFIX + "sub-" + orphanSubscription.id();
            for (String name : List.of(orphanOutbox, orphanDelivery, orphanSubscriptionQueue)) {
                queues.createQueue(new CreateQueueRequest(name, Map.of(), Map.of())).get(10, TimeUnit.SECONDS);
            }
            catalog.putSubscription(orphanSubscription).get(10, TimeUnit.SECONDS);

            ahead.set(Duration.ofMinutes(10));
            // Made "now": an outbox whose CreateTopic has not stored the topic yet; it must outlive the sweeps.
            String youngOutbox = PREFIX + "topic-" + UUID.randomUUID();
            queues.createQueue(new CreateQueueRequest(youngOutbox, Map.of(), Map.of())).get(10, TimeUnit.SECONDS);

            Set<String> remaining = internalQueues(queues);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((remaining.contains(orphanOutbox) || remaining.contains(orphanDelivery)
                    || remaining.contains(orphanSubscriptionQueue)
                    || catalog.subscription("deleted-topic", orphanSubscription.id()).get(10, TimeUnit.SECONDS).isPresent())
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                remaining = internalQueues(queues);
            }
            assertTrue(catalog.subscription("deleted-topic", orphanSubscription.id()).get(10, TimeUnit.SECONDS).isEmpty(),
                    "the subscription of a deleted topic is reaped");
            Set<String> expected = new TreeSet<>(liveQueues);
            expected.add(youngOutbox);
            assertEquals(expected, remaining, "old ownerless queues reaped; live and young ones kept");
            assertEquals(1, sns.listSubscriptionsByTopic(b -> b.topicArn(live)).subscriptions().size());
        }
    }

    private static Set<String> internalQueues(QueueClient queues) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String url : queues.listQueues(new ListQueuesRequest(PREFIX, null, 1000)).get(10, TimeUnit.SECONDS).queueUrls()) {
            names.add(url.substring(url.lastIndexOf('/') + 1));
        }
        return names;
    }
}
