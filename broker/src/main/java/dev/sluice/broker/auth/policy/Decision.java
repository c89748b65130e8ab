package dev.sluice.broker.auth.policy;

/** The outcome of evaluating a request against the policies that apply to it (IAM's three outcomes). */
public enum Decision {
    /** Some policy allows it and none denies it. */
    ALLOW,
    /** A statement denies it; nothing can override that. */
    EXPLICIT_DENY,
    /** No statement denies it, but the policies that must allow it do not. */
    IMPLICIT_DENY
}
