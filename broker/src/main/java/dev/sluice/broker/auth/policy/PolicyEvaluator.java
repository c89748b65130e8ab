package dev.sluice.broker.auth.policy;

import java.util.List;
import java.util.Optional;

/**
 * IAM's policy evaluation logic, for the policy types Sluice has (identity policies on keys, resource policies on
 * queues and topics):
 * <ol>
 * <li>an explicit Deny in any applicable statement wins, for every caller, operators included;</li>
 * <li>operators (admin keys, or everyone while auth is off) are then allowed;</li>
 * <li>within the owner's account, an Allow from the identity policies <em>or</em> from the resource policy suffices;
 *     a resource policy naming only the account (not the key, not {@code "*"}) delegates to the identity policies,
 *     as in IAM;</li>
 * <li>across accounts, the identity policies <em>and</em> the resource policy must both allow.</li>
 * </ol>
 * A key without any attached policy has full rights on the identity side (what every key had before policies
 * existed). Across accounts that still grants only what the owner's resource policy allows its account or key:
 * the resource policy is the limit, as it is in AWS for an account administrator. A service acting for a resource
 * (SNS delivering to a queue) has the same no-policy identity, acting in the source resource's account.
 * Stateless and thread-safe.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /**
     * The identity side of a request.
     *
     * @param fullRights no identity policy applies (operator, unsigned caller, or a key with none attached)
     * @param policies the documents attached to the key (empty when {@code fullRights})
     */
    public record Identity(boolean fullRights, List<PolicyDocument> policies) {
        public static final Identity FULL_RIGHTS = new Identity(true, List.of());

        public static Identity of(List<PolicyDocument> policies) {
            return new Identity(false, List.copyOf(policies));
        }
    }

    public static Decision decide(AccessRequest request, Identity identity, Optional<PolicyDocument> resourcePolicy) {
        String action = ActionNames.authorisedAs(request.action());
        boolean identityAllows = identity.fullRights();
        for (PolicyDocument policy : identity.policies()) {
            for (Statement statement : policy.statements()) {
                if (statement.covers(action, request.resourceArn(), request.caller(), request.context())) {
                    if (!statement.allow()) {
                        return Decision.EXPLICIT_DENY;
                    }
                    identityAllows = true;
                }
            }
        }
        boolean resourceAllows = false;
        if (resourcePolicy.isPresent()) {
            for (Statement statement : resourcePolicy.get().statements()) {
                Principals.Match named = statement.principalMatch(request.caller(), request.context());
                if (named == Principals.Match.NONE
                        || !statement.covers(action, request.resourceArn(), request.caller(), request.context())) {
                    continue;
                }
                if (!statement.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                // Within the account, naming the account only delegates to the identity's own policies.
                resourceAllows |= named == Principals.Match.DIRECT || !request.sameAccount();
            }
        }
        if (request.caller().operator() && !request.context().isServiceRequest()) {
            return Decision.ALLOW;
        }
        boolean allowed = request.sameAccount() ? identityAllows || resourceAllows : identityAllows && resourceAllows;
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }
}
