package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile review of the Policy published outside the engine's lock: a command the book rejects must publish
 * nothing, whatever else it carried, because a check reads the published Policy the moment it is written, before
 * the command is over. Every case here held at review (the book validates before it publishes).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PublishedPolicyAttackTest {
    private static final String ALLOW = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage",\
            "Resource":"arn:aws:sqs:us-east-1:000000000000:orders"}]}""";
    private static final String DENY = ALLOW.replace("Allow", "Deny");
    private static final String MISSING_DEAD_LETTERS = """
            {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nowhere","maxReceiveCount":"3"}""";

    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final QueueBook book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()),
            "us-east-1", "000000000000", new EngineLimits(3, 3, 300_000), storage, name -> { });
    private final TestStamp stamp = new TestStamp();

    private void assertStillPublished(String policy) {
        assertEquals(Optional.ofNullable(policy), book.policyOf("orders"));
        assertEquals(Optional.ofNullable(book.exists("orders") ? book.settings("orders").policy() : null),
                book.policyOf("orders"), "what the settings hold");
    }

    @Test
    void aRejectedCreateOrSetAttributesPublishesNothing() {
        book.createQueue("orders", Map.of("Policy", ALLOW), Map.of(), stamp);

        assertThrows(SqsException.class, () -> book.createQueue("orders", Map.of("Policy", DENY), Map.of(), stamp),
                "same name, another Policy");
        assertStillPublished(ALLOW);

        assertThrows(SqsException.class, () -> book.setAttributes("orders",
                Map.of("Policy", DENY, "DelaySeconds", "901"), stamp), "a Policy with an invalid attribute");
        assertStillPublished(ALLOW);

        assertThrows(SqsException.class, () -> book.setAttributes("orders",
                Map.of("Policy", DENY, "RedrivePolicy", MISSING_DEAD_LETTERS), stamp), "a missing dead-letter queue");
        assertStillPublished(ALLOW);
    }

    @Test
    void aQueueFencedForMigrationKeepsItsPolicyAndTakesNoNewOne() {
        book.createQueue("orders", Map.of("Policy", ALLOW), Map.of(), stamp);
        book.setLayout("orders", new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0));

        assertThrows(SqsException.class, () -> book.setAttributes("orders", Map.of("Policy", DENY), stamp));
        assertStillPublished(ALLOW);

        book.deleteQueueIfEmpty("orders", stamp);
        assertStillPublished(null);
    }

    @Test
    void aNameReusedTooSoonPublishesNothingAndALaterQueueOnlyItsOwn() {
        book.createQueue("orders", Map.of("Policy", ALLOW), Map.of(), stamp);
        book.deleteQueue("orders", stamp);

        assertThrows(SqsException.class, () -> book.createQueue("orders", Map.of("Policy", DENY), Map.of(), stamp));
        assertStillPublished(null);

        stamp.now += 3_600_000;
        book.createQueue("orders", Map.of(), Map.of(), stamp);
        assertStillPublished(null);
    }
}
