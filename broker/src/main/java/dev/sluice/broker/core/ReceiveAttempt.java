package dev.sluice.broker.core;

import java.util.List;

/**
 * A FIFO receive remembered under its ReceiveRequestAttemptId: which receive of which messages it
 * made, so a retry can hand out the same messages and receipt handles.
 */
public record ReceiveAttempt(long expiresAtMillis, List<Delivery> deliveries) implements Expiring {
    public ReceiveAttempt {
        deliveries = List.copyOf(deliveries);
    }

    /** One message of the attempt as it left: a retry is honoured only while each is still so. */
    public record Delivery(long seq, long receiptNonce, long visibleAtMillis) {
    }
}
