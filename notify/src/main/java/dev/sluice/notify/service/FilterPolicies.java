package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.notify.core.SnsFilterPolicy;
import dev.sluice.notify.core.Subscription;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Compiled filter policies by text and scope, so fanout compiles each once; bounded (cleared when full). Thread-safe. */
final class FilterPolicies {
    private static final int MAX_CACHED = 10_000;
    private static final Object NO_POLICY = new Object();
    private final Map<String, Object> compiled = new ConcurrentHashMap<>();

    /** True when the subscription's filter policy (none: everything) accepts the message. */
    boolean accepts(Subscription subscription, String body, Map<String, MessageAttributeValue> attributes) {
        String policy = subscription.attributes().get("FilterPolicy");
        if (policy == null || policy.isBlank()) {
            return true;
        }
        String scope = subscription.attributes().getOrDefault("FilterPolicyScope", "MessageAttributes");
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        Object filter = compiled.computeIfAbsent(scope + "\n" + policy, key -> {
            SnsFilterPolicy parsed = SnsFilterPolicy.parse(policy, SnsFilterPolicy.scope(scope));
            return parsed == null ? NO_POLICY : parsed;
        });
        return filter == NO_POLICY || ((SnsFilterPolicy) filter).matches(body, attributes);
    }
}
