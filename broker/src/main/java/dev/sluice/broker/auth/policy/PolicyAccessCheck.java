package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.AccessCheck;
import dev.sluice.broker.auth.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link AccessCheck} that evaluates policies ({@link PolicyEvaluator}): the managed policies attached to the
 * caller's key ({@link KeyPolicies}) and the resource's own Policy (parsed once, {@link PolicyCache}).
 *
 * <p>A stored resource policy that this version cannot read (set before policies were checked) fails closed: every
 * action on the resource is denied except setting its attributes by the owner's account or an operator, so the
 * policy can be replaced. A key naming a managed policy that does not exist is treated as having no Allow from it
 * (fail closed rather than full rights). Thread-safe; called on request threads, never blocks.
 */
public final class PolicyAccessCheck implements AccessCheck {
    private final KeyPolicies keyPolicies;
    private final PolicyCache cache;

    public PolicyAccessCheck(KeyPolicies keyPolicies, PolicyCache cache) {
        this.keyPolicies = keyPolicies;
        this.cache = cache;
    }

    /** As {@link #decide} without a request context: true when allowed. */
    public boolean allows(Caller caller, String action, String resourceArn, String ownerAccountId,
            Optional<String> resourcePolicy) {
        return decide(new AccessRequest(caller, action, resourceArn, ownerAccountId, RequestContext.NONE),
                resourcePolicy) == Decision.ALLOW;
    }

    @Override
    public Decision decide(AccessRequest request, Optional<String> resourcePolicy) {
        Optional<PolicyDocument> resource = Optional.empty();
        String policyText = resourcePolicy.filter(text -> !text.isBlank()).orElse(null);
        if (policyText != null) {
            PolicyCache.Parsed parsed = cache.resourcePolicy(service(request.action()), policyText);
            if (!parsed.readable()) {
                return unreadable(request);
            }
            resource = Optional.of(parsed.document());
        }
        return PolicyEvaluator.decide(request, identity(request), resource);
    }

    @Override
    public boolean discloses(AccessRequest request, Optional<String> resourcePolicy) {
        if (request.caller().operator() || request.sameAccount()) {
            return true;
        }
        String policyText = resourcePolicy.filter(text -> !text.isBlank()).orElse(null);
        if (policyText == null) {
            return false;
        }
        PolicyCache.Parsed parsed = cache.resourcePolicy(service(request.action()), policyText);
        return parsed.readable() && parsed.document().statements().stream().anyMatch(statement -> statement.allow()
                && statement.principalMatch(request.caller(), request.context()) != Principals.Match.NONE);
    }

    private PolicyEvaluator.Identity identity(AccessRequest request) {
        Caller caller = request.caller();
        if (caller.operator() || caller.accessKeyId() == null || request.context().isServiceRequest()) {
            return PolicyEvaluator.Identity.FULL_RIGHTS;
        }
        List<String> names = keyPolicies.attachedTo(caller.accessKeyId());
        if (names.isEmpty()) {
            return PolicyEvaluator.Identity.FULL_RIGHTS;
        }
        List<PolicyDocument> documents = new ArrayList<>(names.size());
        for (String name : names) {
            ManagedPolicies.named(name).ifPresent(documents::add);
        }
        return PolicyEvaluator.Identity.of(documents);
    }

    private static Decision unreadable(AccessRequest request) {
        String action = request.action().toLowerCase(Locale.ROOT);
        boolean replacing = action.equals("sqs:setqueueattributes") || action.equals("sns:settopicattributes");
        boolean owner = request.caller().operator() || request.sameAccount();
        return replacing && owner && !request.context().isServiceRequest() ? Decision.ALLOW : Decision.EXPLICIT_DENY;
    }

    private static String service(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? "" : action.substring(0, colon).toLowerCase(Locale.ROOT);
    }
}
