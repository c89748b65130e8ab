package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SqsErrorTest {

    @Test
    void everyCodeAndJsonTypeIsUnique() {
        Set<String> codes = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (SqsError error : SqsError.values()) {
            assertTrue(codes.add(error.code()), error.code());
            assertTrue(types.add(error.jsonType()), error.jsonType());
        }
    }

    @Test
    void queueErrorsUseTheLegacyQueryCodesOfTheAwsModel() {
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", SqsError.QUEUE_DOES_NOT_EXIST.legacyCode());
        assertEquals("com.amazonaws.sqs#QueueDoesNotExist", SqsError.QUEUE_DOES_NOT_EXIST.jsonType());
        assertEquals("QueueAlreadyExists", SqsError.QUEUE_NAME_EXISTS.legacyCode());
        assertEquals("AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT.legacyCode());
    }

    @Test
    void serverSideErrorsAreReceiverFaults() {
        assertFalse(SqsError.INTERNAL_ERROR.senderFault());
        assertEquals("Receiver", SqsError.SERVICE_UNAVAILABLE.faultType());
        assertEquals(500, SqsError.INTERNAL_ERROR.httpStatus());
        assertEquals("Sender", SqsError.OVER_LIMIT.faultType());
    }

    @Test
    void anExceptionWithoutMessageCarriesTheDefaultMessage() {
        SqsException exception = SqsError.PURGE_QUEUE_IN_PROGRESS.exception();
        assertEquals(SqsError.PURGE_QUEUE_IN_PROGRESS, exception.error());
        assertEquals(SqsError.PURGE_QUEUE_IN_PROGRESS.defaultMessage(), exception.getMessage());
    }
}
