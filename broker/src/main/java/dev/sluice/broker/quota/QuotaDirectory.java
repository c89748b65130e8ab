package dev.sluice.broker.quota;

import dev.sluice.broker.accounts.Account;
import dev.sluice.broker.accounts.AccountQuotas;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every account's quotas as this node's catalog replica last listed them (refreshed with the key directory, every
 * {@code LiveKeyDirectory.REFRESH_INTERVAL}); an account not listed (the default one) has {@link AccountQuotas#NONE}.
 * Reads are a map lookup. Thread-safe.
 */
public final class QuotaDirectory {
    private volatile Map<String, AccountQuotas> quotas = Map.of();

    /** Takes the accounts as the local replica lists them. */
    public void accounts(List<Account> listed) {
        Map<String, AccountQuotas> next = new HashMap<>();
        listed.forEach(account -> next.put(account.id(), account.quotas()));
        quotas = Map.copyOf(next);
    }

    /** The value of one quota of the account; {@link AccountQuotas#UNLIMITED} for none. */
    public long of(String accountId, AccountQuotas.Quota quota) {
        AccountQuotas account = quotas.get(accountId);
        return account == null ? AccountQuotas.UNLIMITED : account.get(quota);
    }

    /** The accounts (in id order) with a limit set on any of {@code limits}: the few whose holdings the edge reads. */
    public List<String> accountsLimiting(AccountQuotas.Quota... limits) {
        java.util.TreeSet<String> limited = new java.util.TreeSet<>();
        quotas.forEach((account, values) -> {
            for (AccountQuotas.Quota quota : limits) {
                if (values.get(quota) != AccountQuotas.UNLIMITED) {
                    limited.add(account);
                }
            }
        });
        return List.copyOf(limited);
    }
}
