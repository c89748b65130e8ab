package dev.sluice.broker.auth.policy;

/**
 * A policy document that Sluice cannot evaluate faithfully (malformed, or using an element, operator or key that
 * is not implemented). Thrown when a policy is set, so it is refused rather than half-enforced; the SQS and SNS
 * edges turn it into their own error ({@code InvalidAttributeValue}, {@code InvalidParameter}).
 */
public final class PolicyRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason names the element at fault, e.g. {@code Condition operator ForAnyValue:StringLike is not supported} */
    public PolicyRefused(String reason) {
        super(reason, null, false, false);
    }
}
