package dev.sluice.faasbridge.core;

/**
 * Whose functions and mappings a request sees. A function belongs to an account: the store keys it by its qualified
 * name, the bare name in the default account (so functions stored before accounts read unchanged) and
 * {@code account/name} in any other; a mapping belongs to its function's account. An operator's listing may see
 * every account ({@code everyAccount}); everything else acts in {@code account}.
 *
 * @param account the account a name given in a request is looked up in (12 digits)
 * @param defaultAccount the account of bare stored names
 * @param everyAccount true for an operator's listing of every account's functions and mappings
 */
public record AccountScope(String account, String defaultAccount, boolean everyAccount) {

    /** Only the default account: a bridge that knows no accounts (the standalone bridge, tests). */
    public static AccountScope only(String defaultAccount) {
        return new AccountScope(defaultAccount, defaultAccount, false);
    }

    /** The stored name of this scope's function {@code name}. */
    public String qualify(String name) {
        return account.equals(defaultAccount) ? name : account + "/" + name;
    }

    /** The account of a stored (qualified) name. */
    public String accountOf(String qualifiedName) {
        int slash = qualifiedName.indexOf('/');
        return slash < 0 ? defaultAccount : qualifiedName.substring(0, slash);
    }

    /** The function name of a stored (qualified) name, as Lambda shows it. */
    public static String bare(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.indexOf('/') + 1);
    }

    /** Whether this scope sees the function (or a mapping of the function) of that stored name. */
    public boolean sees(String qualifiedName) {
        return everyAccount || accountOf(qualifiedName).equals(account);
    }

    /** Whether a queue may feed this scope's functions: only a queue of the scope's own account. */
    public boolean owns(QueueArn queue) {
        return queue.accountId().equals(account);
    }
}
