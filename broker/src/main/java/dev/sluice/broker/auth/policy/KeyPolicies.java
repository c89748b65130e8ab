package dev.sluice.broker.auth.policy;

import java.util.List;

/**
 * The identity side of access decisions: the managed policies ({@link ManagedPolicies#NAMES}) attached to an access
 * key. The accounts catalog implements it; until then no key has one. Called on request threads: must answer from
 * memory, without blocking.
 */
public interface KeyPolicies {
    /** No key has an identity policy: every key may do everything within its own account. */
    KeyPolicies NONE = accessKeyId -> List.of();

    /** The names of the managed policies attached to the key; empty means no identity policy. */
    List<String> attachedTo(String accessKeyId);
}
