package dev.sluice.broker.auth;

import dev.sluice.broker.auth.policy.AccessRequest;
import dev.sluice.broker.auth.policy.Decision;
import java.util.Optional;

/**
 * The one access decision of a request on a resource (a queue, a topic): the caller and its key's identity
 * policies, the action, the resource and its owner, the resource's own policy, and the request's context (source
 * address, TLS, the resource a service acts for). Implemented by the IAM evaluator
 * ({@link dev.sluice.broker.auth.policy.PolicyAccessCheck}). Thread-safe; answers from memory.
 */
public interface AccessCheck {

    /** IAM's decision on {@code request}, given the resource's policy document if it has one. */
    Decision decide(AccessRequest request, Optional<String> resourcePolicy);

    /**
     * Whether a caller denied {@code request} may learn that the resource exists (AccessDenied) rather than be told
     * that it does not: its own account's resource, an operator, or a caller an Allow of the resource policy names
     * (for any action). Another account's resource with no grant to the caller at all stays invisible.
     */
    boolean discloses(AccessRequest request, Optional<String> resourcePolicy);
}
