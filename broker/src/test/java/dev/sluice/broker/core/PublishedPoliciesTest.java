package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.service.SqsLimits;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Policy a book publishes for readers outside the engine's lock ({@link QueueBook#policyOf}) is the one its
 * settings hold, through every change of a queue's Policy or existence, and in a book rebuilt from storage.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PublishedPoliciesTest {
    private static final String ALLOW = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage",\
            "Resource":"arn:aws:sqs:us-east-1:000000000000:orders"}]}""";
    private static final String DENY = ALLOW.replace("Allow", "Deny");

    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final QueueBook book = newBook(storage);
    private final TestStamp stamp = new TestStamp();

    private static QueueBook newBook(InMemoryQueueStorage storage) {
        return new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(3, 3, 300_000), storage, name -> { });
    }

    /** What the book's settings hold: the Policy of an existing queue, else empty. */
    private static Optional<String> held(QueueBook book, String name) {
        return book.exists(name) ? Optional.ofNullable(book.settings(name).policy()) : Optional.empty();
    }

    private void assertPublished(String name, String effect) {
        assertEquals(held(book, name), book.policyOf(name), "what the settings hold");
        assertEquals(Optional.ofNullable(effect),
                book.policyOf(name).map(policy -> policy.contains("Deny") ? "Deny" : "Allow"));
    }

    @Test
    void thePublishedPolicyFollowsEveryChangeOfTheQueue() {
        assertPublished("orders", null);

        book.createQueue("orders", Map.of("Policy", ALLOW), Map.of(), stamp);
        assertPublished("orders", "Allow");

        book.setAttributes("orders", Map.of("Policy", DENY), stamp);
        assertPublished("orders", "Deny");

        book.setAttributes("orders", Map.of("DelaySeconds", "3"), stamp);
        assertPublished("orders", "Deny");

        book.setAttributes("orders", Map.of("Policy", ""), stamp);
        assertPublished("orders", null);

        book.setAttributes("orders", Map.of("Policy", ALLOW), stamp);
        book.deleteQueue("orders", stamp);
        assertPublished("orders", null);

        stamp.now += 3_600_000;
        book.createQueue("orders", Map.of(), Map.of(), stamp);
        assertPublished("orders", null);
    }

    @Test
    void aBookRebuiltFromStoragePublishesThePoliciesItHolds() {
        book.createQueue("orders", Map.of("Policy", DENY), Map.of(), stamp);
        book.createQueue("open", Map.of(), Map.of(), stamp);

        QueueBook rebuilt = newBook(storage);
        storage.queues.values().forEach(rebuilt::restoreQueue);

        assertEquals(book.policyOf("orders"), rebuilt.policyOf("orders"));
        assertEquals(Optional.of(book.settings("orders").policy()), rebuilt.policyOf("orders"));
        assertEquals(Optional.empty(), rebuilt.policyOf("open"));
    }
}
