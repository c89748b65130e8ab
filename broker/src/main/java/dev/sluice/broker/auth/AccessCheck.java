package dev.sluice.broker.auth;

public interface AccessCheck {
    /** True when the caller may perform action (e.g. "sqs:SendMessage") on the resource owned by ownerAccountId, given the resource's policy document (SQS Policy attribute / SNS topic Policy) if it has one. */
    boolean allows(Caller caller, String action, String resourceArn, String ownerAccountId, java.util.Optional<String> resourcePolicy);
    /** Only the owner account (and operators) may act: what holds until policies are wired in. */
    AccessCheck OWNER_ONLY = (caller, action, arn, owner, policy) -> caller.operator() || caller.accountId().equals(owner);
}
