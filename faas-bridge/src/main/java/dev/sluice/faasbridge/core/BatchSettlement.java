package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.model.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which messages of an invoked batch to delete. A failed message stays (it returns after the queue's
 * visibility timeout and, after {@code maxReceiveCount} receives, moves to the queue's dead-letter
 * queue). On a FIFO queue every later message of a failed message's group stays too, so the group is
 * retried in order.
 */
public final class BatchSettlement {
    public static final String MESSAGE_GROUP_ID = "MessageGroupId";

    private BatchSettlement() {
    }

    /** The messages to delete, in batch order. */
    public static List<Message> toDelete(List<Message> batch, BatchVerdict verdict, boolean fifo) {
        List<Message> delete = new ArrayList<>();
        Set<String> blockedGroups = new HashSet<>();
        for (Message message : batch) {
            String group = fifo ? message.attributes().get(MESSAGE_GROUP_ID) : null;
            boolean keep = verdict.failed(message.messageId()) || (group != null && blockedGroups.contains(group));
            if (keep) {
                if (group != null) {
                    blockedGroups.add(group);
                }
            } else {
                delete.add(message);
            }
        }
        return delete;
    }
}
