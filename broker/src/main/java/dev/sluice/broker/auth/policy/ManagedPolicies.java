package dev.sluice.broker.auth.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed identity policies Sluice ships, by name (the roles of the service it models). Each is an ordinary
 * policy document, parsed once; README lists the actions each allows.
 */
public final class ManagedPolicies {
    /** The names, exactly as keys carry them. */
    public static final List<String> NAMES = List.of("AdministratorAccess", "ManageQueues", "Produce", "Consume",
            "TriggerFunctions", "ReadOnly");

    private static final Map<String, PolicyDocument> DOCUMENTS = Map.of(
            "AdministratorAccess", allow("\"*\""),
            "ManageQueues", allow(actions("sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueUrl",
                    "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:ListQueues", "sqs:ListQueueTags",
                    "sqs:TagQueue", "sqs:UntagQueue", "sqs:PurgeQueue", "sqs:ListDeadLetterSourceQueues",
                    "sqs:AddPermission", "sqs:RemovePermission", "sqs:StartMessageMoveTask",
                    "sqs:CancelMessageMoveTask", "sqs:ListMessageMoveTasks", "sns:CreateTopic", "sns:DeleteTopic",
                    "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListTopics", "sns:Subscribe",
                    "sns:Unsubscribe", "sns:ConfirmSubscription", "sns:ListSubscriptions",
                    "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes",
                    "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource")),
            "Produce", allow(actions("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueues",
                    "sns:Publish", "sns:GetTopicAttributes", "sns:ListTopics")),
            "Consume", allow(actions("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueues")),
            "TriggerFunctions", allow(actions("lambda:InvokeFunction", "lambda:GetFunction", "lambda:ListFunctions",
                    "lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping",
                    "lambda:DeleteEventSourceMapping", "lambda:GetEventSourceMapping",
                    "lambda:ListEventSourceMappings")),
            "ReadOnly", allow(actions("sqs:Get*", "sqs:List*", "sns:Get*", "sns:List*", "lambda:Get*",
                    "lambda:List*")));

    private ManagedPolicies() {
    }

    /** The document of a managed policy, or empty for a name not in {@link #NAMES}. */
    public static Optional<PolicyDocument> named(String name) {
        return Optional.ofNullable(DOCUMENTS.get(name));
    }

    private static String actions(String... actions) {
        return "[\"" + String.join("\",\"", actions) + "\"]";
    }

    private static PolicyDocument allow(String actions) {
        return PolicyParser.identity("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + actions + ",\"Resource\":\"*\"}]}");
    }
}
