package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.notify.core.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SubscriptionSnapshotsTest {
    private final SubscriptionSnapshots snapshots = new SubscriptionSnapshots();

    private static Subscription subscription(String id, String topic) {
        return new Subscription(id, topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:" + topic + "-queue", Map.of(), true,
                null, null);
    }

    private static final Subscription FIRST = subscription("11111111-1111-1111-1111-111111111111", "alerts");
    private static final Subscription SECOND = subscription("22222222-2222-2222-2222-222222222222", "alerts");
    private static final Subscription OTHER = subscription("33333333-3333-3333-3333-333333333333", "orders");

    @Test
    void answersEachTopicsSubscriptionsFromTheLatestRefreshWithoutReadingAgain() {
        snapshots.refreshed(snapshots.readStarting(), List.of(FIRST, OTHER, SECOND));
        assertEquals(List.of(FIRST, SECOND), snapshots.of("alerts").join());
        assertEquals(List.of(OTHER), snapshots.of("orders").join());
        assertEquals(List.of(), snapshots.of("nobody-subscribed").join());
    }

    @Test
    void nothingIsAnsweredBeforeTheFirstRefresh() {
        CompletableFuture<List<Subscription>> early = snapshots.of("alerts");
        assertFalse(early.isDone());
        snapshots.refreshed(snapshots.readStarting(), List.of(FIRST));
        assertEquals(List.of(FIRST), early.join());
    }

    @Test
    void aBatchAfterALocalChangeWaitsForARefreshThatStartedAfterTheChange() {
        snapshots.refreshed(snapshots.readStarting(), List.of(FIRST));
        long startedBeforeTheChange = snapshots.readStarting();
        snapshots.changed(); // Subscribe of SECOND acknowledged on this node
        CompletableFuture<List<Subscription>> batch = snapshots.of("alerts");
        assertFalse(batch.isDone(), "the snapshot before the Subscribe must not serve a publish after it");
        snapshots.refreshed(startedBeforeTheChange, List.of(FIRST));
        assertFalse(batch.isDone(), "a refresh that started before the change may have missed it");
        snapshots.refreshed(snapshots.readStarting(), List.of(FIRST, SECOND));
        assertEquals(List.of(FIRST, SECOND), batch.join());
        assertTrue(snapshots.of("alerts").isDone());
    }

    @Test
    void aRefreshThatLandsLateDoesNotReplaceANewerOne() {
        long older = snapshots.readStarting();
        snapshots.changed(); // Unsubscribe of FIRST
        snapshots.refreshed(snapshots.readStarting(), List.of(SECOND));
        snapshots.refreshed(older, List.of(FIRST, SECOND));
        assertEquals(List.of(SECOND), snapshots.of("alerts").join());
    }
}
