package dev.sluice.broker.auth.policy;

import java.util.Map;

/**
 * The permission an action is authorised by. SQS has no separate permissions for its batch actions (a
 * SendMessageBatch needs sqs:SendMessage), and SNS's PublishBatch needs sns:Publish; every other action is its
 * own permission.
 */
public final class ActionNames {
    private static final Map<String, String> BATCHES = Map.of(
            "sqs:sendmessagebatch", "sqs:SendMessage",
            "sqs:deletemessagebatch", "sqs:DeleteMessage",
            "sqs:changemessagevisibilitybatch", "sqs:ChangeMessageVisibility",
            "sns:publishbatch", "sns:Publish");

    private ActionNames() {
    }

    /** The permission {@code action} (e.g. {@code sqs:SendMessageBatch}) needs. */
    public static String authorisedAs(String action) {
        String single = BATCHES.get(action.toLowerCase(java.util.Locale.ROOT));
        return single == null ? action : single;
    }
}
