package dev.sluice.broker.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.auth.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The evaluation logic against the SQS developer guide's policy examples and IAM's evaluation matrix: explicit Deny
 * wins; within an account identity OR resource policy; across accounts identity AND resource policy.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PolicyEvaluatorTest {
    private static final String OWNER = "111122223333";
    private static final String OTHER = "444455556666";
    private static final String STRANGER = "999988887777";
    private static final String QUEUE = "arn:aws:sqs:us-east-2:" + OWNER + ":MyQueue";
    private static final String TOPIC = "arn:aws:sns:us-east-2:" + OTHER + ":MyTopic";
    private static final Caller OWNER_KEY = new Caller(OWNER, "AKIDOWNER", false);
    private static final Caller OTHER_KEY = new Caller(OTHER, "AKIDOTHER", false);
    private static final Caller STRANGER_KEY = new Caller(STRANGER, "AKIDSTRANGER", false);
    private static final Caller OPERATOR = new Caller("000000000000", "AKIDADMIN", true);

    /** Keys and the managed policies attached to them; keys not listed have none. */
    private static final Map<String, List<String>> ATTACHED = Map.of("AKIDPRODUCER", List.of("Produce"),
            "AKIDCONSUMER", List.of("Consume"), "AKIDREADER", List.of("ReadOnly"));
    private final PolicyAccessCheck check = new PolicyAccessCheck(
            key -> ATTACHED.getOrDefault(key, List.of()), new PolicyCache(100));

    private Decision decide(Caller caller, String action, String policy) {
        return decide(caller, action, policy, RequestContext.NONE);
    }

    private Decision decide(Caller caller, String action, String policy, RequestContext context) {
        return check.decide(new AccessRequest(caller, action, QUEUE, OWNER, context), Optional.ofNullable(policy));
    }

    private static String statement(String effect, String principal, String action, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principal + ",\"Action\":" + action
                + ",\"Resource\":\"" + QUEUE + "\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Id\":\"Queue1_Policy_UUID\",\"Statement\":[" + String.join(",", statements)
                + "]}";
    }

    @Test
    void grantingOneAccountSendMessageLetsItsKeysSendAndNothingElse() {
        String grant = policy(statement("Allow", "{\"AWS\":[\"" + OTHER + "\"]}", "[\"sqs:SendMessage\"]", null));
        assertEquals(Decision.ALLOW, decide(OTHER_KEY, "sqs:SendMessage", grant));
        assertEquals(Decision.ALLOW, decide(OTHER_KEY, "sqs:SendMessageBatch", grant));
        assertEquals(Decision.IMPLICIT_DENY, decide(OTHER_KEY, "sqs:ReceiveMessage", grant));
        assertEquals(Decision.IMPLICIT_DENY, decide(STRANGER_KEY, "sqs:SendMessage", grant));
        assertEquals(Decision.IMPLICIT_DENY, decide(OTHER_KEY, "sqs:SendMessage", null));
    }

    @Test
    void acrossAccountsTheKeysOwnPoliciesMustAllowTooSoAConsumerCannotSendThroughAGrant() {
        String grant = policy(statement("Allow", "{\"AWS\":\"arn:aws:iam::" + OTHER + ":root\"}", "\"sqs:*\"", null));
        assertEquals(Decision.ALLOW, decide(new Caller(OTHER, "AKIDPRODUCER", false), "sqs:SendMessage", grant));
        assertEquals(Decision.IMPLICIT_DENY,
                decide(new Caller(OTHER, "AKIDCONSUMER", false), "sqs:SendMessage", grant));
        assertEquals(Decision.ALLOW, decide(new Caller(OTHER, "AKIDCONSUMER", false), "sqs:DeleteMessageBatch", grant));
    }

    @Test
    void withinTheAccountEitherTheKeysPoliciesOrTheQueuePolicyMayAllow() {
        Caller consumer = new Caller(OWNER, "AKIDCONSUMER", false);
        assertEquals(Decision.ALLOW, decide(consumer, "sqs:ReceiveMessage", null));
        assertEquals(Decision.IMPLICIT_DENY, decide(consumer, "sqs:SendMessage", null));
        String toTheKey = policy(statement("Allow", "{\"AWS\":\"arn:aws:iam::" + OWNER + ":user/AKIDCONSUMER\"}",
                "\"sqs:SendMessage\"", null));
        assertEquals(Decision.ALLOW, decide(consumer, "sqs:SendMessage", toTheKey));
        // Naming the account only delegates to the key's own policies, as in IAM.
        String toTheAccount = policy(statement("Allow", "{\"AWS\":\"" + OWNER + "\"}", "\"sqs:SendMessage\"", null));
        assertEquals(Decision.IMPLICIT_DENY, decide(consumer, "sqs:SendMessage", toTheAccount));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:PurgeQueue", null));
    }

    @Test
    void anExplicitDenyWinsOverEveryAllowForEveryCallerOperatorsIncluded() {
        String denySend = policy(statement("Allow", "\"*\"", "\"sqs:*\"", null),
                statement("Deny", "{\"AWS\":[\"" + OWNER + "\",\"" + OTHER + "\"]}", "\"sqs:SendMessage\"", null));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", denySend));
        assertEquals(Decision.EXPLICIT_DENY, decide(new Caller(OWNER, "AKIDPRODUCER", false), "sqs:SendMessageBatch",
                denySend));
        assertEquals(Decision.EXPLICIT_DENY, decide(OTHER_KEY, "sqs:SendMessage", denySend));
        assertEquals(Decision.ALLOW, decide(OTHER_KEY, "sqs:ReceiveMessage", denySend));
        assertEquals(Decision.ALLOW, decide(STRANGER_KEY, "sqs:SendMessage", denySend));
        String denyAll = policy(statement("Deny", "\"*\"", "\"sqs:SendMessage\"", null));
        assertEquals(Decision.EXPLICIT_DENY, decide(OPERATOR, "sqs:SendMessage", denyAll));
        assertEquals(Decision.ALLOW, decide(OPERATOR, "sqs:DeleteQueue", denyAll));
    }

    @Test
    void operatorsActOnEveryAccountsResourcesAndUnsignedCallersOnlyMatchTheStarPrincipal() {
        assertEquals(Decision.ALLOW, decide(OPERATOR, "sqs:ReceiveMessage", null));
        Caller unsigned = new Caller("000000000000", null, true);
        String denyAccount = policy(statement("Deny", "{\"AWS\":\"" + "000000000000" + "\"}", "\"sqs:*\"", null));
        assertEquals(Decision.ALLOW, decide(unsigned, "sqs:SendMessage", denyAccount));
        String denyEveryone = policy(statement("Deny", "{\"AWS\":\"*\"}", "\"sqs:*\"", null));
        assertEquals(Decision.EXPLICIT_DENY, decide(unsigned, "sqs:SendMessage", denyEveryone));
    }

    @Test
    void aTopicMaySendToAQueueOfAnotherAccountWhenTheQueuePolicyNamesItsArn() {
        String fromTopic = policy(statement("Allow", "{\"Service\":\"sns.amazonaws.com\"}", "\"sqs:SendMessage\"",
                "{\"ArnEquals\":{\"aws:SourceArn\":\"" + TOPIC + "\"}}"));
        RequestContext delivery = RequestContext.onBehalfOf("sns.amazonaws.com", TOPIC, OTHER);
        Caller topicOwner = new Caller(OTHER, null, false);
        assertEquals(Decision.ALLOW, decide(topicOwner, "sqs:SendMessage", fromTopic, delivery));
        RequestContext otherTopic = RequestContext.onBehalfOf("sns.amazonaws.com",
                "arn:aws:sns:us-east-2:" + OTHER + ":Other", OTHER);
        assertEquals(Decision.IMPLICIT_DENY, decide(topicOwner, "sqs:SendMessage", fromTopic, otherTopic));
        // A key of the topic's account sending directly has no aws:SourceArn and is not the SNS service.
        assertEquals(Decision.IMPLICIT_DENY, decide(OTHER_KEY, "sqs:SendMessage", fromTopic));
        // The older form: every principal, limited by ArnLike on the source.
        String anyFromTopics = policy(statement("Allow", "{\"AWS\":\"*\"}", "\"SQS:SendMessage\"",
                "{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:" + OTHER + ":My*\"}}"));
        assertEquals(Decision.ALLOW, decide(topicOwner, "sqs:SendMessage", anyFromTopics, delivery));
        assertEquals(Decision.IMPLICIT_DENY, decide(topicOwner, "sqs:SendMessage", anyFromTopics, otherTopic));
        // Within the queue's account a topic delivers without a queue policy (Sluice's default, as for keys).
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", null,
                RequestContext.onBehalfOf("sns.amazonaws.com", "arn:aws:sns:us-east-2:" + OWNER + ":Mine", OWNER)));
    }

    @Test
    void denyingEveryRequestThatIsNotOverTlsRefusesPlainHttpOnly() {
        String tlsOnly = policy(statement("Deny", "\"*\"", "\"sqs:*\"",
                "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", tlsOnly,
                RequestContext.direct("10.0.0.1", false)));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", tlsOnly,
                RequestContext.direct("10.0.0.1", true)));
        // Unknown transport: the key is absent and a positive operator does not hold.
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", tlsOnly));
    }

    @Test
    void sourceIpConditionsGrantAndDenyByAddressBlockInV4AndV6() {
        String fromOffice = policy(statement("Allow", "{\"AWS\":\"" + OTHER + "\"}", "\"sqs:*\"",
                "{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"2001:db8::/32\"]}}"));
        assertEquals(Decision.ALLOW, decide(OTHER_KEY, "sqs:SendMessage", fromOffice,
                RequestContext.direct("192.0.2.7", true)));
        assertEquals(Decision.ALLOW, decide(OTHER_KEY, "sqs:SendMessage", fromOffice,
                RequestContext.direct("2001:db8::5", true)));
        assertEquals(Decision.IMPLICIT_DENY, decide(OTHER_KEY, "sqs:SendMessage", fromOffice,
                RequestContext.direct("198.51.100.1", true)));
        String notFromOffice = policy(statement("Deny", "\"*\"", "\"sqs:*\"",
                "{\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", notFromOffice,
                RequestContext.direct("198.51.100.1", true)));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", notFromOffice,
                RequestContext.direct("192.0.2.200", true)));
    }

    @Test
    void missingKeysSatisfyNegatedOperatorsAndIfExistsButFailPositiveOnes() {
        String denyUnlessFromTopic = policy(statement("Deny", "\"*\"", "\"sqs:SendMessage\"",
                "{\"ArnNotEquals\":{\"aws:SourceArn\":\"" + TOPIC + "\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", denyUnlessFromTopic));
        String denyIfOtherSource = policy(statement("Deny", "\"*\"", "\"sqs:SendMessage\"",
                "{\"ArnNotEqualsIfExists\":{\"aws:SourceArn\":\"" + TOPIC + "\"},"
                        + "\"StringEqualsIfExists\":{\"aws:SourceAccount\":\"" + OTHER + "\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", denyIfOtherSource));
        String denyDirect = policy(statement("Deny", "\"*\"", "\"sqs:SendMessage\"",
                "{\"Null\":{\"aws:SourceArn\":\"true\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", denyDirect));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", denyDirect,
                RequestContext.onBehalfOf("sns.amazonaws.com", TOPIC, OWNER)));
    }

    @Test
    void notActionNotResourceAndNotPrincipalInvertTheirMatch() {
        String denyAllButReceive = policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":\"sqs:ReceiveMessage\","
                + "\"Resource\":\"" + QUEUE + "\"}");
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", denyAllButReceive));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:ReceiveMessage", denyAllButReceive));
        String denyElsewhere = policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\","
                + "\"NotResource\":\"" + QUEUE + "\"}");
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", denyElsewhere));
        String denyAllButOwnerKey = policy("{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::" + OWNER
                + ":user/AKIDOWNER\",\"arn:aws:iam::" + OWNER + ":root\"]},\"Action\":\"sqs:*\",\"Resource\":\"*\"}");
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SendMessage", denyAllButOwnerKey));
        assertEquals(Decision.EXPLICIT_DENY, decide(new Caller(OWNER, "AKIDPRODUCER", false), "sqs:SendMessage",
                denyAllButOwnerKey));
        // Listing the user without its account leaves the user covered, as in IAM.
        String userOnly = policy("{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" + OWNER
                + ":user/AKIDOWNER\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}");
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", userOnly));
    }

    @Test
    void anIdentityDenyBeatsAResourceAllowAndManagedPoliciesNameTheirActions() {
        Caller reader = new Caller(OWNER, "AKIDREADER", false);
        assertEquals(Decision.ALLOW, decide(reader, "sqs:GetQueueAttributes", null));
        assertEquals(Decision.ALLOW, decide(reader, "sqs:ListQueues", null));
        assertEquals(Decision.IMPLICIT_DENY, decide(reader, "sqs:ReceiveMessage", null));
        Caller producer = new Caller(OWNER, "AKIDPRODUCER", false);
        assertEquals(Decision.IMPLICIT_DENY, decide(producer, "sqs:DeleteQueue", null));
        assertEquals(Decision.ALLOW, decide(producer, "SQS:sendmessagebatch", null));
    }

    @Test
    void aStoredPolicyThatCannotBeReadFailsClosedButTheOwnerMayReplaceIt() {
        String unreadable = policy(statement("Deny", "\"*\"", "\"sqs:*\"",
                "{\"NumericLessThan\":{\"aws:EpochTime\":\"1\"}}"));
        assertEquals(Decision.EXPLICIT_DENY, decide(OWNER_KEY, "sqs:SendMessage", unreadable));
        assertEquals(Decision.ALLOW, decide(OWNER_KEY, "sqs:SetQueueAttributes", unreadable));
        assertEquals(Decision.EXPLICIT_DENY, decide(OTHER_KEY, "sqs:SetQueueAttributes", unreadable));
    }

    @Test
    void theAccessCheckSeamAnswersTheSameDecisions() {
        String grant = policy(statement("Allow", "{\"AWS\":\"" + OTHER + "\"}", "\"sqs:SendMessage\"", null));
        assertEquals(true, check.allows(OTHER_KEY, "sqs:SendMessage", QUEUE, OWNER, Optional.of(grant)));
        assertEquals(false, check.allows(OTHER_KEY, "sqs:SendMessage", QUEUE, OWNER, Optional.empty()));
        assertEquals(true, check.allows(OWNER_KEY, "sqs:SendMessage", QUEUE, OWNER, Optional.of("")));
    }
}
