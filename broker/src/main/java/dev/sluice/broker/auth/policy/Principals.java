package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;
import java.util.Set;

/**
 * The principals a resource policy statement names ({@code Principal} or {@code NotPrincipal}). A Sluice key is the
 * IAM user {@code arn:aws:iam::<account>:user/<accessKeyId>}; its account is named by the 12-digit id or
 * {@code arn:aws:iam::<account>:root}. An unsigned caller (auth off, subscription links) is {@code anonymous},
 * named only by {@code "*"}. A service acting for a resource (SNS delivering to a queue) is named by
 * {@code {"Service": "sns.amazonaws.com"}} or by {@code "*"}. Other principal kinds (roles, federated users) are
 * accepted but name no Sluice caller.
 *
 * @param everyone {@code "*"} or {@code {"AWS": "*"}}
 * @param accounts 12-digit account ids (the root ARN form is stored as its id)
 * @param users full IAM user ARNs
 * @param services service principals such as {@code sns.amazonaws.com}
 */
record Principals(boolean everyone, Set<String> accounts, Set<String> users, Set<String> services) {

    /** How a statement's {@code Principal} names a caller. */
    enum Match {
        /** Not named. */
        NONE,
        /** Named through its account: within that account this delegates to the identity's own policies. */
        ACCOUNT,
        /** Named itself (or by {@code "*"}). */
        DIRECT
    }

    Match match(Caller caller, RequestContext context) {
        if (everyone) {
            return Match.DIRECT;
        }
        if (context.isServiceRequest()) {
            return services.contains(context.servicePrincipal()) ? Match.DIRECT : Match.NONE;
        }
        if (caller.accessKeyId() == null) {
            return Match.NONE;
        }
        if (users.contains(userArn(caller))) {
            return Match.DIRECT;
        }
        return accounts.contains(caller.accountId()) ? Match.ACCOUNT : Match.NONE;
    }

    /**
     * For {@code NotPrincipal}: whether the caller is exempted. As in IAM, a user is exempt only when both its
     * own ARN and its account are listed (listing the user alone still leaves the account, and so the user,
     * covered); the anonymous caller is never exempt.
     */
    boolean exempts(Caller caller, RequestContext context) {
        if (everyone) {
            return true;
        }
        if (context.isServiceRequest()) {
            return services.contains(context.servicePrincipal());
        }
        return caller.accessKeyId() != null && users.contains(userArn(caller))
                && accounts.contains(caller.accountId());
    }

    static String userArn(Caller caller) {
        return "arn:aws:iam::" + caller.accountId() + ":user/" + caller.accessKeyId();
    }
}
