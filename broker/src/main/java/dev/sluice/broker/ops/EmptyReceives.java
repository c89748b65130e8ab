package dev.sluice.broker.ops;

import dev.sluice.clientsdk.Cancellation;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.model.*;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NumberOfEmptyReceives: ReceiveMessage calls that returned no message, counted by the node that answered the call.
 * Unlike the other per-queue counts these cannot come from the group leader: an empty long poll ends where it waited
 * (on any node's replica), and one call may propose several receives or none. Each call is answered by exactly one
 * node, so the sum over the nodes is exact. {@link #counting} wraps a client at the edge. Thread-safe.
 */
final class EmptyReceives {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Empty receives per queue name so far. */
    Map<String, AtomicLong> counts() {
        return counts;
    }

    void count(String queueUrl) {
        QueueUrl.parse(queueUrl).ifPresent(url -> counts.computeIfAbsent(url.queueName(), name -> new AtomicLong()).incrementAndGet());
    }

    /** {@code client}, counting its empty receives here; every other call passes through unchanged. */
    QueueClient counting(QueueClient client) {
        return counting(client, queueUrl -> { });
    }

    /** As {@link #counting(QueueClient)}, telling {@code alsoTell} each empty receive's queue URL too. */
    QueueClient counting(QueueClient client, java.util.function.Consumer<String> alsoTell) {
        return new Counting(client, this, alsoTell);
    }

    private static final class Counting extends dev.sluice.broker.service.ForwardingQueueClient {
        private final EmptyReceives empty;
        private final java.util.function.Consumer<String> alsoTell;

        Counting(QueueClient engine, EmptyReceives empty, java.util.function.Consumer<String> alsoTell) {
            super(engine);
            this.empty = empty;
            this.alsoTell = alsoTell;
        }

        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            CompletableFuture<ReceiveMessageResponse> receive = engine.receiveMessage(request);
            // Cancelling the answer (the client hung up) must still end the long poll it waits on.
            return Cancellation.propagate(receive.thenApply(response -> {
                if (response.messages().isEmpty()) {
                    empty.count(request.queueUrl());
                    alsoTell.accept(request.queueUrl());
                }
                return response;
            }), receive);
        }
    }
}
