package dev.sluice.notify.core;

/**
 * Who made a request, as the server's authentication layer established it: the access key that signed it
 * (null for an unsigned request, allowed only while auth is off or for the subscription links) and the
 * client's address, and the account the key belongs to; a key maps to the IAM principal
 * {@code arn:aws:iam::<account>:user/<accessKeyId>}.
 *
 * @param accessKeyId the verified access key id, or null for an anonymous caller
 * @param sourceIp the client's IP address (the peer of the HTTP connection), or null when unknown
 * @param link true for an unsigned subscription link let through while access keys are configured: such a
 *     caller holds no key, only what the link carries (an Unsubscribe must carry its link's token)
 * @param secureTransport whether the request came over TLS (a policy's {@code aws:SecureTransport}), or null when
 *     unknown
 * @param accountId the account of the key (the caller's topics and subscriptions are there), or null for the default
 *     account (an unsigned caller, or one whose account the server did not name)
 */
public record Caller(String accessKeyId, String sourceIp, boolean link, Boolean secureTransport, String accountId) {

    public Caller(String accessKeyId, String sourceIp, boolean link, Boolean secureTransport) {
        this(accessKeyId, sourceIp, link, secureTransport, null);
    }

    public Caller(String accessKeyId, String sourceIp, boolean link) {
        this(accessKeyId, sourceIp, link, null);
    }

    public Caller(String accessKeyId, String sourceIp) {
        this(accessKeyId, sourceIp, false);
    }

    /** This caller, having come over TLS or not. */
    public Caller overTransport(boolean secure) {
        return new Caller(accessKeyId, sourceIp, link, secure, accountId);
    }

    /** This caller, its key belonging to {@code account}. */
    public Caller inAccount(String account) {
        return new Caller(accessKeyId, sourceIp, link, secureTransport, account);
    }

    /** The caller's account, {@code defaultAccount} when none was named. */
    public String account(String defaultAccount) {
        return accountId == null ? defaultAccount : accountId;
    }

    public static Caller anonymous(String sourceIp) {
        return new Caller(null, sourceIp);
    }

    /** The unsigned caller of a subscription link ({@code SubscribeURL}, {@code UnsubscribeURL}) while auth is on. */
    public static Caller link(String sourceIp) {
        return new Caller(null, sourceIp, true);
    }

    public boolean isAnonymous() {
        return accessKeyId == null;
    }

    /** The IAM principal of this caller in {@code accountId}, or {@code anonymous} (the name AWS uses). */
    public String principal(String accountId) {
        return isAnonymous() ? "anonymous" : "arn:aws:iam::" + accountId + ":user/" + accessKeyId;
    }
}
