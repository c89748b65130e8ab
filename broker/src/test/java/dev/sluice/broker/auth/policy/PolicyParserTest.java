package dev.sluice.broker.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PolicyParserTest {
    private static final String QUEUE = "arn:aws:sqs:us-east-2:111122223333:MyQueue";

    private static String withCondition(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\","
                + "\"Resource\":\"" + QUEUE + "\",\"Condition\":" + condition + "}}";
    }

    @Test
    void readsBothVersionsOneStatementOrAListAndSnssDefaultTopicPolicy() {
        String snsDefault = "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
                + "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":["
                + "\"SNS:Publish\",\"SNS:Subscribe\"],\"Resource\":\"arn:aws:sns:us-east-1:000000000000:t\","
                + "\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"000000000000\"}}}]}";
        assertEquals(1, PolicyParser.resource(snsDefault, "sns").statements().size());
        assertEquals(1, PolicyParser.resource(withCondition("{\"Bool\":{\"aws:SecureTransport\":false}}"), "sqs")
                .statements().size());
        String two = "{\"Statement\":[{\"Sid\":\"a\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"111122223333\","
                + "\"arn:aws:iam::444455556666:root\"],\"Service\":\"sns.amazonaws.com\"},\"Action\":[\"sqs:Send*\","
                + "\"sqs:?eceiveMessage\"],\"Resource\":[\"" + QUEUE + "\",\"arn:aws:sqs:*:111122223333:other-*\"]},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringNotLikeIfExists\":{\"aws:SourceArn\":\"arn:aws:sns:*\"},\"NotIpAddress\":{\"aws:SourceIp\":"
                + "[\"10.0.0.0/8\",\"fd00::/8\"]}}}]}";
        assertEquals(2, PolicyParser.resource(two, "sqs").statements().size());
        // In 2008-10-17 "${" is literal text, not a policy variable.
        PolicyParser.resource("{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:*:*:${x}\"}}", "sqs");
    }

    @Test
    void refusesWhatItCannotEvaluateNamingTheElement() {
        String[][] refused = {
            {withCondition("{\"ForAnyValue:StringEquals\":{\"aws:SourceAccount\":\"1\"}}"),
                "Condition operator ForAnyValue:StringEquals"},
            {withCondition("{\"NumericLessThan\":{\"aws:SourceAccount\":\"1\"}}"), "Condition operator NumericLessThan"},
            {withCondition("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"x\"}}"), "Condition key aws:PrincipalTag/team"},
            {withCondition("{\"IpAddress\":{\"aws:SourceArn\":\"10.0.0.0/8\"}}"), "cannot be used with aws:SourceArn"},
            {withCondition("{\"IpAddress\":{\"aws:SourceIp\":\"not-an-ip\"}}"), "not-an-ip"},
            {withCondition("{\"Bool\":{\"aws:SecureTransport\":\"maybe\"}}"), "Bool"},
            {withCondition("{\"NullIfExists\":{\"aws:SourceArn\":\"true\"}}"), "NullIfExists"},
            {withCondition("{\"StringEquals\":{\"aws:SourceAccount\":5}}"), "values must be strings"},
            {"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                    + "\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:*:*:${aws:username}\"}}", "policy variables"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sns:Publish\",\"Resource\":\"*\"}}",
                "out of service scope"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}}", "Principal"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\"}}", "Resource"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"NotAction\":"
                    + "\"sqs:x\",\"Resource\":\"*\"}}", "NotAction"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::*:root\"},\"Action\":"
                    + "\"sqs:SendMessage\",\"Resource\":\"*\"}}", "arn:aws:iam::*:root"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Group\":\"x\"},\"Action\":\"sqs:SendMessage\","
                    + "\"Resource\":\"*\"}}", "Group"},
            {"{\"Statement\":{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":"
                    + "\"*\"}}", "Effect"},
            {"{\"Version\":\"2020-01-01\",\"Statement\":[]}", "Version"},
            {"{\"Statement\":[]}", "Statement"},
            {"{\"Statements\":[]}", "Statements"},
            {"{\"Statement\":{\"Effect\":\"Allow\",\"Effect\":\"Deny\"}}", "JSON"},
            {"[]", "JSON object"},
            {"not json", "JSON"}};
        for (String[] policy : refused) {
            PolicyRefused failure = assertThrows(PolicyRefused.class, () -> PolicyParser.resource(policy[0], "sqs"),
                    policy[0]);
            assertTrue(failure.getMessage().contains(policy[1]), failure.getMessage() + " should name " + policy[1]);
        }
    }

    @Test
    void identityPoliciesHaveNoPrincipalAndMayNameAnyService() {
        assertEquals(1, PolicyParser.identity("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":[\"sqs:*\",\"sns:Publish\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}}")
                .statements().size());
        PolicyRefused failure = assertThrows(PolicyRefused.class, () -> PolicyParser.identity("{\"Statement\":{"
                + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}}"));
        assertTrue(failure.getMessage().contains("Principal"), failure.getMessage());
    }

    @Test
    void everyManagedPolicyParsesAndTheCacheParsesEachTextOnce() {
        for (String name : ManagedPolicies.NAMES) {
            assertTrue(ManagedPolicies.named(name).isPresent(), name);
        }
        PolicyCache cache = new PolicyCache(2);
        String text = withCondition("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}");
        assertSame(cache.resourcePolicy("sqs", text), cache.resourcePolicy("sqs", text));
        cache.resourcePolicy("sqs", "x");
        cache.resourcePolicy("sqs", "y");
        assertTrue(cache.size() <= 2, "bounded");
    }
}
