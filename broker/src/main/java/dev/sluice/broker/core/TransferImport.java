package dev.sluice.broker.core;

import java.util.Objects;

/**
 * One transferred message as the destination's group receives it (see {@link Transfer#delivered}).
 *
 * @param transferId the source group's id of the transfer; a resend carries the same one
 */
public record TransferImport(String transferId, String destinationArn, StoredMessage message) {
    public TransferImport {
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(destinationArn, "destinationArn");
        Objects.requireNonNull(message, "message");
    }

    /** What the destination did with one import. */
    public enum Outcome {
        /** Stored in the destination queue now. */
        IMPORTED,
        /** Imported before (remembered by its transfer id): stored nothing. */
        ALREADY_IMPORTED,
        /** No such queue in the destination group: stored nothing. */
        NO_SUCH_QUEUE
    }
}
