package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.Message;
import java.util.List;
import java.util.Set;

/**
 * Handles one received message for a {@link QueueConsumer}. Returning normally is success (the
 * message is deleted); throwing is failure (the message stays, and comes back after its visibility
 * timeout or the consumer's failure backoff). Called on the consumer's handler executor; may block.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Message message) throws Exception;

    /**
     * Handles a received batch at once, like a Lambda function with partial batch responses: returns
     * the ids of the messages that failed (empty: all succeeded); throwing fails the whole batch.
     */
    @FunctionalInterface
    interface Batch {
        Set<String> handle(List<Message> messages) throws Exception;
    }
}
