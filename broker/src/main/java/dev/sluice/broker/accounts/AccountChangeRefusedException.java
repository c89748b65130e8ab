package dev.sluice.broker.accounts;

/** An operator's change to accounts or keys that cannot be made; the REST layer answers it as a 4xx, never a 5xx. */
public final class AccountChangeRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** INVALID: 400 (bad id, name, policy, grace); NOT_FOUND: 404; CONFLICT: 409 (duplicate, closed, no cluster key). */
    public enum Reason { INVALID, NOT_FOUND, CONFLICT }

    private final Reason reason;

    public AccountChangeRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
