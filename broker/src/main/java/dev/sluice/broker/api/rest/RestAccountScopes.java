package dev.sluice.broker.api.rest;

import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.notify.core.Caller;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Whose functions and mappings a REST request reaches: the caller's account; an operator's {@code ?account=} (one
 * account), or without it every account's (what an operator's console lists). A key that is no operator's acts in its
 * own account whatever it asks. Thread-safe.
 */
public final class RestAccountScopes {
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private final String defaultAccount;
    private final Predicate<Caller> operators;

    /**
     * @param defaultAccount the account of callers the server names none for, and of functions stored before accounts
     * @param operators whether a caller is an operator
     */
    public RestAccountScopes(String defaultAccount, Predicate<Caller> operators) {
        this.defaultAccount = defaultAccount;
        this.operators = operators;
    }

    public AccountScope of(RestRequest request) {
        String own = request.caller().account(defaultAccount);
        if (!operators.test(request.caller())) {
            return new AccountScope(own, defaultAccount, false);
        }
        String given = request.query("account");
        if (given != null && ACCOUNT.matcher(given).matches()) {
            return new AccountScope(given, defaultAccount, false);
        }
        return new AccountScope(own, defaultAccount, given == null);
    }
}
