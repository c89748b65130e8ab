package dev.sluice.broker.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.core.TopicAccess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SNS topic policy checks, formerly notify's TopicPolicy (Deny statements only), now the IAM evaluator's. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicPolicyAccessTest {
    private static final String ACCOUNT = "000000000000";
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:alerts";
    private static final Caller OPS = new Caller("AKIDOPS", "127.0.0.1");
    private static final Caller APP = new Caller("AKIDAPP", "10.1.2.3");
    private static final Caller ANONYMOUS = Caller.anonymous("127.0.0.1");

    /** Every key of the one account; an unsigned caller is an operator, as while auth is off. */
    private static final TopicPolicyAccess ACCESS = new TopicPolicyAccess(
            new PolicyAccessCheck(KeyPolicies.NONE, new PolicyCache(100)),
            caller -> new dev.sluice.broker.auth.Caller(ACCOUNT, caller.accessKeyId(), caller.accessKeyId() == null));

    /** A parsed-and-validated policy text, asked the way TopicAuthorizer asks. */
    private record TopicPolicy(String text) {
        static TopicPolicy parse(String text) {
            ACCESS.validate(text);
            return new TopicPolicy(text);
        }

        boolean denies(Caller caller, String accountId, String action, String topicArn) {
            return ACCESS.decide(caller, action, topicArn, accountId, text) != TopicAccess.Decision.ALLOW;
        }
    }

    private static TopicPolicy deny(String principal, String action, String resource, String condition) {
        return TopicPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":"
                + principal + ",\"Action\":" + action + ",\"Resource\":" + resource
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}");
    }

    @Test
    void noPolicyAndAllowStatementsDenyNothing() {
        assertFalse(TopicPolicy.parse("").denies(ANONYMOUS, ACCOUNT, "Publish", TOPIC));
        TopicPolicy allowOnly = TopicPolicy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"SNS:Publish\",\"Resource\":\"" + TOPIC + "\",\"Condition\":{\"StringEquals\":"
                + "{\"AWS:SourceOwner\":\"000000000000\"}}}}");
        assertFalse(allowOnly.denies(OPS, ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void aStarPrincipalDeniesEveryCallerTheAnonymousOneIncluded() {
        for (String principal : new String[] {"\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":[\"*\"]}"}) {
            TopicPolicy policy = deny(principal, "\"sns:Publish\"", "\"" + TOPIC + "\"", null);
            assertTrue(policy.denies(ANONYMOUS, ACCOUNT, "Publish", TOPIC), principal);
            assertTrue(policy.denies(OPS, ACCOUNT, "Publish", TOPIC), principal);
        }
    }

    @Test
    void aUserPrincipalDeniesOnlyThatKeyAndTheAccountDeniesEverySignedCaller() {
        TopicPolicy user = deny("{\"AWS\":\"arn:aws:iam::000000000000:user/AKIDAPP\"}", "\"sns:Publish\"",
                "\"" + TOPIC + "\"", null);
        assertTrue(user.denies(APP, ACCOUNT, "Publish", TOPIC));
        assertFalse(user.denies(OPS, ACCOUNT, "Publish", TOPIC));
        assertFalse(user.denies(ANONYMOUS, ACCOUNT, "Publish", TOPIC));
        for (String account : new String[] {"\"000000000000\"", "\"arn:aws:iam::000000000000:root\""}) {
            TopicPolicy policy = deny("{\"AWS\":" + account + "}", "\"sns:Publish\"", "\"" + TOPIC + "\"", null);
            assertTrue(policy.denies(OPS, ACCOUNT, "Publish", TOPIC));
            assertFalse(policy.denies(ANONYMOUS, ACCOUNT, "Publish", TOPIC));
        }
        assertFalse(deny("{\"Service\":\"events.amazonaws.com\"}", "\"sns:Publish\"", "\"" + TOPIC + "\"", null)
                .denies(OPS, ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void actionsMatchIgnoringCaseWithWildcards() {
        assertTrue(deny("\"*\"", "\"SNS:publish\"", "\"*\"", null).denies(OPS, ACCOUNT, "Publish", TOPIC));
        assertTrue(deny("\"*\"", "\"sns:*\"", "\"*\"", null).denies(OPS, ACCOUNT, "DeleteTopic", TOPIC));
        assertTrue(deny("\"*\"", "[\"sns:Get*\",\"sns:Subscribe\"]", "\"*\"", null)
                .denies(OPS, ACCOUNT, "GetTopicAttributes", TOPIC));
        assertFalse(deny("\"*\"", "\"sns:Get*\"", "\"*\"", null).denies(OPS, ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void resourcesMatchTopicArnsWithWildcards() {
        assertTrue(deny("\"*\"", "\"sns:Publish\"", "\"arn:aws:sns:*:000000000000:al*\"", null)
                .denies(OPS, ACCOUNT, "Publish", TOPIC));
        assertFalse(deny("\"*\"", "\"sns:Publish\"", "\"arn:aws:sns:us-east-1:000000000000:other\"", null)
                .denies(OPS, ACCOUNT, "Publish", TOPIC));
        assertTrue(deny("\"*\"", "\"sns:Publish\"", "\"arn:aws:sns:us-east-1:000000000000:alert?\"", null)
                .denies(OPS, ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void sourceIpConditionsDenyInsideOrOutsideTheirBlocks() {
        TopicPolicy inside = deny("\"*\"", "\"sns:Publish\"", "\"*\"", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}");
        assertTrue(inside.denies(APP, ACCOUNT, "Publish", TOPIC));
        assertFalse(inside.denies(OPS, ACCOUNT, "Publish", TOPIC));
        TopicPolicy outside = deny("\"*\"", "\"sns:Publish\"", "\"*\"",
                "{\"NotIpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"192.168.0.0/16\"]}}");
        assertFalse(outside.denies(APP, ACCOUNT, "Publish", TOPIC));
        assertTrue(outside.denies(OPS, ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void denyStatementsOnSourceArnNotActionOrNotPrincipalAreEvaluatedNowRatherThanRefused() {
        TopicPolicy notPublish = TopicPolicy.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"NotAction\":\"sns:Publish\",\"Resource\":\"*\"}]}");
        assertFalse(notPublish.denies(APP, ACCOUNT, "Publish", TOPIC));
        assertTrue(notPublish.denies(APP, ACCOUNT, "DeleteTopic", TOPIC));
        TopicPolicy allButOps = TopicPolicy.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":["
                + "\"000000000000\",\"arn:aws:iam::000000000000:user/AKIDOPS\"]},\"Action\":\"sns:*\",\"Resource\":\"*\"}]}");
        assertFalse(allButOps.denies(OPS, ACCOUNT, "Publish", TOPIC));
        assertTrue(allButOps.denies(APP, ACCOUNT, "Publish", TOPIC));
        TopicPolicy directOnly = TopicPolicy.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"sns:Publish\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceArn\":\"x\"}}}]}");
        assertFalse(directOnly.denies(APP, ACCOUNT, "Publish", TOPIC));
        TopicPolicy plainHttp = deny("\"*\"", "\"sns:*\"", "\"*\"", "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}");
        assertTrue(plainHttp.denies(APP.overTransport(false), ACCOUNT, "Publish", TOPIC));
        assertFalse(plainHttp.denies(APP.overTransport(true), ACCOUNT, "Publish", TOPIC));
    }

    @Test
    void aDenyThatCannotBeEvaluatedFaithfullyIsAnInvalidParameter() {
        String[] refused = {
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\","
                    + "\"Condition\":{\"StringEquals\":{\"sns:Protocol\":\"x\"}}}]}",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\","
                    + "\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:SourceAccount\":\"x\"}}}]}",
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\","
                    + "\"Condition\":{\"IpAddress\":{\"aws:SourceVpc\":\"vpc-1\"}}}]}",
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\","
                    + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"not-an-ip\"}}}]}",
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}",
            "{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\"}]}",
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sns:Publish\"}]}",
            "{\"Statements\":[]}",
            "[]",
            "not json"};
        for (String policy : refused) {
            SnsException failure = assertThrows(SnsException.class, () -> ACCESS.validate(policy), policy);
            assertEquals(SnsError.INVALID_PARAMETER, failure.error(), policy);
            assertTrue(failure.getMessage().startsWith("Invalid parameter: Policy Error: "), failure.getMessage());
        }
    }
}
