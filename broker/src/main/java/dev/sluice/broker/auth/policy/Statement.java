package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;
import java.util.List;

/**
 * One parsed statement. Every element is compiled (wildcards to patterns, CIDR blocks, ARN components), so
 * evaluating it allocates next to nothing.
 *
 * @param allow Effect Allow (else Deny)
 * @param principals the Principal or NotPrincipal of a resource policy; null in an identity policy
 * @param notPrincipal the principals are a NotPrincipal
 * @param actions Action or NotAction patterns (case-insensitive)
 * @param notAction the actions are a NotAction
 * @param resources Resource or NotResource patterns (case-sensitive)
 * @param notResource the resources are a NotResource
 * @param conditions all must hold
 */
record Statement(String sid, boolean allow, Principals principals, boolean notPrincipal, List<Wildcard> actions,
        boolean notAction, List<Wildcard> resources, boolean notResource, List<Condition> conditions) {

    /** How this statement's principal names the caller (always DIRECT in an identity policy: it is the caller's). */
    Principals.Match principalMatch(Caller caller, RequestContext context) {
        if (principals == null) {
            return Principals.Match.DIRECT;
        }
        if (notPrincipal) {
            return principals.exempts(caller, context) ? Principals.Match.NONE : Principals.Match.DIRECT;
        }
        return principals.match(caller, context);
    }

    /** True when action, resource and every condition match (the principal is checked apart). */
    boolean covers(String action, String resourceArn, Caller caller, RequestContext context) {
        return anyMatches(actions, action) != notAction && anyMatches(resources, resourceArn) != notResource
                && conditionsHold(caller, context);
    }

    private boolean conditionsHold(Caller caller, RequestContext context) {
        for (Condition condition : conditions) {
            if (!condition.holds(caller, context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<Wildcard> patterns, String value) {
        for (Wildcard pattern : patterns) {
            if (pattern.matches(value)) {
                return true;
            }
        }
        return false;
    }
}
