package dev.sluice.raftstore.client;

/**
 * The group's proposal queue is full: the command was refused before it was proposed, so nothing of it was
 * applied and the caller may retry it later (the edge answers its protocol's throttling error).
 */
public final class StoreBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreBusyException(String message) {
        super(message, null, false, false);
    }
}
