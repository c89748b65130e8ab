package dev.sluice.raftstore.membership;

/** An operator's cluster change that cannot be made as asked; {@link #reason} says how the edge should answer. */
public final class ClusterChangeRefusedException extends RuntimeException {
    /** Why: bad input, a name that does not exist, or a request that conflicts with the cluster's state. */
    public enum Reason { INVALID, NOT_FOUND, CONFLICT }

    private final Reason reason;

    public ClusterChangeRefusedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
