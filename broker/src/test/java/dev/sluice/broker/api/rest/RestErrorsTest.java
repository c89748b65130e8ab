package dev.sluice.broker.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.client.StoreBusyException;
import dev.sluice.raftstore.client.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A REST request its Raft group could not take now is refused as retryable, never as InternalError 500. */
class RestErrorsTest {
    @Test
    void aGroupWithoutAMajorityIsServiceUnavailableAndAFullProposalQueueIsThrottling() {
        RestResponse unavailable = RestErrors.of(new CompletionException(
                new StoreUnavailableException("catalog: read failed", null)), "req-1");
        assertEquals(503, unavailable.status());
        assertTrue(text(unavailable).contains("\"code\":\"ServiceUnavailable\""), text(unavailable));

        RestResponse busy = RestErrors.of(new StoreBusyException("catalog"), "req-2");
        assertEquals(400, busy.status());
        assertTrue(text(busy).contains("\"code\":\"RequestThrottled\""), text(busy));
    }

    @Test
    void anUnexpectedFailureIsStillAnInternalErrorWithoutItsJavaType() {
        RestResponse internal = RestErrors.of(new IllegalStateException("a bug"), "req-3");
        assertEquals(500, internal.status());
        assertTrue(!text(internal).contains("IllegalStateException") && !text(internal).contains("a bug"), text(internal));
    }

    private static String text(RestResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
