package dev.sluice.broker.accounts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A customer account: the 12-digit id its resources' ARNs and URLs carry, a name for operators, and whether it is
 * open. A closed account stays (its id is never reused); its keys stop working.
 *
 * @param createdMillis when it was created, epoch milliseconds (the answering node's clock)
 * @param quotas what the account may use ({@link AccountQuotas})
 */
public record Account(String id, String name, State state, long createdMillis, AccountQuotas quotas) {
    /** AWS account ids: exactly 12 digits. */
    public static final Pattern ID = Pattern.compile("[0-9]{12}");
    /** Names: what an operator recognises the customer by; bounded so that lists stay small. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9 ._@+=,-]{1,64}");

    public enum State { OPEN, CLOSED }

    public Account {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("account name must be 1-64 of letters, digits, space and ._@+=,-");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(quotas, "quotas");
    }

    /** An account with the quotas a new account starts with ({@link AccountQuotas#NEW_ACCOUNT}). */
    public Account(String id, String name, State state, long createdMillis) {
        this(id, name, state, createdMillis, AccountQuotas.NEW_ACCOUNT);
    }

    public boolean open() {
        return state == State.OPEN;
    }

    public Account closed() {
        return new Account(id, name, State.CLOSED, createdMillis, quotas);
    }

    public Account withQuotas(AccountQuotas changed) {
        return new Account(id, name, state, createdMillis, changed);
    }
}
