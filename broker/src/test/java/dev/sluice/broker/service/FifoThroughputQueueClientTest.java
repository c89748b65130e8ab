package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.quota.FifoRateLimiter;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.GetQueueAttributesResponse;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SQS's FIFO per-queue limits on one node, with a clock the test holds still: 300 calls a second per action (a batch
 * is one call), 70,000 in high-throughput mode, nothing for standard queues or accounts without quotas.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FifoThroughputQueueClientTest {
    private static final String TENANT = "111122223333";
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final AtomicInteger modeReads = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private Map<String, String> attributes = Map.of("FifoThroughputLimit", "perQueue", "DeduplicationScope", "queue");
    /** When set, the attribute read answers with this future (the test completes it). */
    private CompletableFuture<GetQueueAttributesResponse> slowRead;
    private final QueueClient client = new FifoThroughputQueueClient(engine(), new FifoRateLimiter(nanos::get, () -> 1),
            TENANT::equals, "000000000000");

    /** An engine that answers every call with an empty success and the queue's mode attributes. */
    private QueueClient engine() {
        return (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getQueueAttributes")) {
                        modeReads.incrementAndGet();
                        return slowRead != null ? slowRead
                                : CompletableFuture.completedFuture(new GetQueueAttributesResponse(attributes));
                    }
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static String url(String account, String name) {
        return "http://127.0.0.1:9324/" + account + "/" + name;
    }

    private int admittedSends(String queueUrl, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            try {
                client.sendMessage(new SendMessageRequest(queueUrl, "m", null, null, null, "d" + i, "g")).join();
                admitted++;
            } catch (CompletionException e) {
                assertEquals(SqsError.REQUEST_THROTTLED, ((SqsException) e.getCause()).error());
            }
        }
        return admitted;
    }

    @Test
    void aFifoQueueTakes300CallsASecondPerActionThenRequestThrottled() {
        String queue = url(TENANT, "orders.fifo");
        assertEquals(300, admittedSends(queue, 400));
        assertEquals(300, calls.get(), "a refused call never reached the engine");
        client.receiveMessage(new ReceiveMessageRequest(queue, null, null, null, 10, null, 0, null)).join();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(30, admittedSends(queue, 100));
        assertEquals(1, modeReads.get(), "the mode is read once and trusted for a while");
    }

    @Test
    void aBatchIsOneCallSoBatchesOfTenCarry3000MessagesASecond() {
        String queue = url(TENANT, "batched.fifo");
        int admitted = 0;
        for (int i = 0; i < 310; i++) {
            try {
                client.sendMessageBatch(new SendMessageBatchRequest(queue, List.of())).join();
                admitted++;
            } catch (CompletionException e) {
                assertEquals(SqsError.REQUEST_THROTTLED, ((SqsException) e.getCause()).error());
            }
        }
        assertEquals(300, admitted);
    }

    @Test
    void highThroughputModeTakes70000CallsASecondAndIsReadAgainAfterItsTtl() {
        attributes = Map.of("FifoThroughputLimit", "perMessageGroupId", "DeduplicationScope", "messageGroup");
        String queue = url(TENANT, "fast.fifo");
        assertEquals(5_000, admittedSends(queue, 5_000));
        attributes = Map.of("FifoThroughputLimit", "perQueue", "DeduplicationScope", "queue");
        nanos.addAndGet(FifoRateLimiter.MODE_TTL_NANOS);
        assertEquals(300, admittedSends(queue, 400), "back to the normal mode once the attributes are read again");
        assertEquals(2, modeReads.get());
    }

    @Test
    void callsWhileTheModeIsBeingReadPassAndOnlyOneReadIsMade() {
        slowRead = new CompletableFuture<>();
        String queue = url(TENANT, "slow.fifo");
        assertEquals(500, admittedSends(queue, 500));
        assertEquals(1, modeReads.get());
        slowRead.complete(new GetQueueAttributesResponse(attributes));
        assertEquals(300, admittedSends(queue, 400));
        assertEquals(1, modeReads.get());
    }

    @Test
    void standardQueuesAndAccountsWithoutQuotasAreNotLimited() {
        assertEquals(1_000, admittedSends(url(TENANT, "plain"), 1_000));
        assertEquals(1_000, admittedSends(url("000000000000", "own.fifo"), 1_000));
        assertEquals(0, modeReads.get());
    }
}
