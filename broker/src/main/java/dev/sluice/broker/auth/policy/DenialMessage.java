package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.AccessCheck;
import java.util.Optional;

/**
 * The message of an AccessDenied, in IAM's shape: {@code User: <principal> is not authorized to perform: <action> on
 * resource: <arn>} and why (an explicit deny in an identity- or resource-based policy, or no policy of the side that
 * must allow). Built only on the denial path: finding the side evaluates the request again without one of them.
 */
public final class DenialMessage {

    private DenialMessage() {
    }

    public static String of(AccessCheck access, AccessRequest request, Optional<String> resourcePolicy, Decision decision) {
        String action = ActionNames.authorisedAs(request.action());
        // The identity side alone: the same request as if the caller's own account owned a resource without a policy.
        AccessRequest identityOnly = new AccessRequest(request.caller(), request.action(), request.resourceArn(),
                request.caller().accountId(), request.context());
        Decision identity = access.decide(identityOnly, Optional.empty());
        String reason;
        if (decision == Decision.EXPLICIT_DENY) {
            reason = "with an explicit deny in " + (identity == Decision.EXPLICIT_DENY ? "an identity" : "a resource")
                    + "-based policy";
        } else {
            reason = "because no " + (identity == Decision.ALLOW ? "resource" : "identity") + "-based policy allows the "
                    + action + " action";
        }
        return "User: " + principal(request) + " is not authorized to perform: " + action + " on resource: "
                + request.resourceArn() + " " + reason;
    }

    private static String principal(AccessRequest request) {
        return request.caller().accessKeyId() == null ? "anonymous" : Principals.userArn(request.caller());
    }
}
