package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;

/**
 * One request to authorise.
 *
 * @param caller who asks (for a service request: the source resource's account, no key)
 * @param action the action as the request names it, e.g. {@code sqs:SendMessageBatch} (see {@link ActionNames})
 * @param resourceArn the resource acted on
 * @param ownerAccountId the account owning the resource
 * @param context source address, transport, and the source of a service request
 */
public record AccessRequest(Caller caller, String action, String resourceArn, String ownerAccountId,
        RequestContext context) {

    boolean sameAccount() {
        String acting = context.isServiceRequest() ? context.sourceAccount() : caller.accountId();
        return ownerAccountId.equals(acting);
    }
}
