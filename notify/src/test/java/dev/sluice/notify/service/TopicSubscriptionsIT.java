package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.notify.core.CatalogRecordCodec;
import dev.sluice.notify.core.Subscription;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fanout batch takes the topic's subscriptions from the last scan while the topic's subscription generation is the
 * one read before that scan, and scans again once any subscription write (through any node's catalog) or the maximum
 * age changed that. Real catalog group on one node.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicSubscriptionsIT {
    private static final Duration MAX_AGE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static Catalog catalog;
    private final AtomicLong nowMillis = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMillis.get());

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().nodes(1).baseDirectory(dir).start();
        cluster.awaitLeader(Duration.ofSeconds(30));
        catalog = cluster.node(0).catalog();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void everySubscriptionWriteThroughAnotherNotifyCatalogIsSeenByTheNextRead() throws Exception {
        TopicSubscriptions subscriptions = new TopicSubscriptions(new NotifyCatalog(catalog), "alerts", clock, MAX_AGE);
        NotifyCatalog otherNode = new NotifyCatalog(catalog);
        assertEquals(List.of(), subscriptions.current().get());

        Subscription pending = subscription("alerts", "00000000-0000-4000-8000-000000000001", false);
        otherNode.putSubscription(pending).get();
        assertEquals(List.of(pending), subscriptions.current().get());

        Subscription confirmed = otherNode.updateSubscription("alerts", pending.id(), old -> subscription("alerts", old.id(), true),
                IllegalStateException::new).get();
        assertEquals(List.of(confirmed), subscriptions.current().get());

        otherNode.deleteSubscription(confirmed).get();
        assertEquals(List.of(), subscriptions.current().get());
    }

    /** A subscription record written without a new generation (as a write cut short would leave it) shows the cache. */
    @Test
    void anUnchangedGenerationAnswersFromTheLastScanUntilItsMaximumAge() throws Exception {
        TopicSubscriptions subscriptions = new TopicSubscriptions(new NotifyCatalog(catalog), "quiet", clock, MAX_AGE);
        Subscription first = subscription("quiet", "00000000-0000-4000-8000-000000000002", true);
        new NotifyCatalog(catalog).putSubscription(first).get();
        assertEquals(List.of(first), subscriptions.current().get());

        Subscription unannounced = subscription("quiet", "00000000-0000-4000-8000-000000000003", true);
        catalog.put(NotifyCatalog.SUBSCRIPTIONS, unannounced.key(), CatalogRecordCodec.encode(unannounced)).get();
        assertEquals(List.of(first), subscriptions.current().get(), "scanned again though the generation did not change");

        nowMillis.addAndGet(MAX_AGE.toMillis());
        assertEquals(List.of(first, unannounced), subscriptions.current().get());
    }

    private static Subscription subscription(String topic, String id, boolean confirmed) {
        return new Subscription(id, topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:inbox", Map.of(), confirmed, null, null);
    }
}
