package dev.sluice.broker.sdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancelling the HTTP client's long poll ends it on the server too (its waiter slot is freed). */
class HttpLongPollCancelIT extends RemoteClientFixture {

    @Test
    void cancellingALongPollFreesTheServersWaiter() throws Exception {
        String url = recorded.client.createQueue(new CreateQueueRequest("cancel-poll", null, null))
                .get(10, TimeUnit.SECONDS).queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = recorded.client.receiveMessage(
                new ReceiveMessageRequest(url, null, null, null, 1, null, 20, null));
        server.awaitWaiters(1);
        poll.cancel(true);
        long cancelled = System.nanoTime();
        server.awaitWaiters(0);
        assertTrue(System.nanoTime() - cancelled < TimeUnit.SECONDS.toNanos(10));
    }
}
