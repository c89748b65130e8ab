package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.Message;
import java.time.Duration;

/**
 * Metrics hooks of a {@link QueueConsumer}; every method defaults to nothing. Called from the
 * consumer's threads, possibly concurrently: implementations must be thread-safe and quick.
 */
public interface ConsumerListener {

    /** A receive returned {@code count} messages (0 for an empty long poll). */
    default void received(int count) {
    }

    /** A receive failed; the loop waits a moment and polls again. */
    default void receiveFailed(Throwable failure) {
    }

    /** The handler succeeded for a message after {@code took}. */
    default void succeeded(Message message, Duration took) {
    }

    /** The handler failed for a message; it was not deleted. */
    default void failed(Message message, Throwable failure) {
    }

    /** A slow message's visibility timeout was extended while its handler still ran. */
    default void visibilityExtended(Message message) {
    }

    /** {@code count} handled messages were deleted in one DeleteMessageBatch. */
    default void deleted(int count) {
    }
}
