package dev.sluice.raftstore.client;

/** The group could not commit or read in time (no leader, no quorum, timeout). The outcome of a write is unknown. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
