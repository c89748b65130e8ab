package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A queue's owner is part of its qualified name: a bare name is the default account's (every queue written before
 * accounts existed), {@code account/name} another account's; ARNs carry the owner and dead-letter queues stay in it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueOwnershipTest {
    private final QueueBook book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()),
            "us-east-1", "000000000000", new EngineLimits(3, 3, 300_000), new InMemoryQueueStorage(), name -> { });
    private final TestStamp stamp = new TestStamp();

    private String arn(String name) {
        return book.attributes(name, List.of("QueueArn"), stamp.now).get("QueueArn");
    }

    @Test
    void aBareNameIsTheDefaultAccountsQueueAndAQualifiedNameItsAccounts() {
        book.createQueue("orders", Map.of(), Map.of(), stamp);
        book.createQueue("111111111111/orders", Map.of(), Map.of(), stamp);

        assertEquals("arn:aws:sqs:us-east-1:000000000000:orders", arn("orders"));
        assertEquals("arn:aws:sqs:us-east-1:111111111111:orders", arn("111111111111/orders"));
        assertEquals("111111111111/orders", QueueBook.nameOfArn("arn:aws:sqs:us-east-1:111111111111:orders", "000000000000"));
        assertEquals("orders", QueueBook.nameOfArn("arn:aws:sqs:us-east-1:000000000000:orders", "000000000000"));
    }

    @Test
    void aDeadLetterQueueOfAnotherAccountIsRefusedAsAMissingOne() {
        book.createQueue("dlq", Map.of(), Map.of(), stamp);
        book.createQueue("111111111111/dlq", Map.of(), Map.of(), stamp);
        book.createQueue("111111111111/source", Map.of(), Map.of(), stamp);

        SqsException refused = assertThrows(SqsException.class, () -> book.setAttributes("111111111111/source",
                Map.of("RedrivePolicy", redrive("arn:aws:sqs:us-east-1:000000000000:dlq")), stamp));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refused.error());
        assertTrue(refused.getMessage().contains("Dead letter target does not exist"), refused.getMessage());

        book.setAttributes("111111111111/source", Map.of("RedrivePolicy", redrive("arn:aws:sqs:us-east-1:111111111111:dlq")),
                stamp);
        assertEquals(List.of("111111111111/source"), book.deadLetterSources("111111111111/dlq"));
        assertEquals(List.of(), book.deadLetterSources("dlq"));
    }

    private static String redrive(String arn) {
        return "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"3\"}";
    }
}
