package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.raftstore.client.StoreBusyException;
import dev.sluice.raftstore.client.StoreUnavailableException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What the edges answer as "not now" (throttling or ServiceUnavailable, which clients retry) rather than as an
 * internal error: a publish whose queue write found no majority got SNS's InternalError 500 before.
 */
class OverloadTest {
    @Test
    void aGroupWithoutAMajorityOrATimeoutIsUnavailableNotAnInternalError() {
        assertTrue(Overload.isUnavailable(new StoreUnavailableException("data-0: read failed", null)));
        assertTrue(Overload.isUnavailable(new TimeoutException()));
        assertTrue(Overload.isUnavailable(SqsError.SERVICE_UNAVAILABLE.exception("no majority")));
        assertFalse(Overload.isUnavailable(SqsError.QUEUE_DOES_NOT_EXIST.exception()));
        assertFalse(Overload.isUnavailable(new IllegalStateException("a bug")));
    }

    @Test
    void aFullProposalQueueAndAQueueThatMovedAreThrottling() {
        assertTrue(Overload.isThrottled(new StoreBusyException("catalog")));
        assertTrue(Overload.isThrottled(SqsError.REQUEST_THROTTLED.exception("full")));
        assertTrue(Overload.isThrottled(SqsError.QUEUE_MOVED.exception("moved")));
        assertFalse(Overload.isThrottled(SqsError.SERVICE_UNAVAILABLE.exception("no majority")));
        assertFalse(Overload.isThrottled(new IllegalStateException("a bug")));
    }
}
