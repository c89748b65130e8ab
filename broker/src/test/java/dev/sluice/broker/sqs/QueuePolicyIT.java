package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The SQS {@code Policy} attribute through the AWS SDK: checked by the policy parser when set. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueuePolicyIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String arn(String queue) {
        return "arn:aws:sqs:us-east-1:000000000000:" + queue;
    }

    private static String policy(String queue, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Id\":\"" + queue + "-policy\",\"Statement\":[{\"Sid\":\"grant\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"444455556666\"]},\"Action\":[\"sqs:SendMessage\"],"
                + "\"Resource\":\"" + arn(queue) + "\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    private static String storedPolicy(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()
                .get(QueueAttributeName.POLICY);
    }

    @Test
    void aPolicyWithAnUnsupportedConditionOperatorIsRefusedAndTheStoredPolicyStaysAsItWas() {
        String url = sqs.createQueue(b -> b.queueName("policy-kept").attributes(Map.of(QueueAttributeName.POLICY,
                policy("policy-kept", "{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}")))).queueUrl();
        String before = storedPolicy(url);

        AwsServiceException refused = assertThrows(AwsServiceException.class, () -> sqs.setQueueAttributes(b -> b
                .queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy("policy-kept",
                        "{\"ForAnyValue:StringLike\":{\"aws:SourceArn\":\"arn:aws:sns:*\"}}")))));
        assertEquals(400, refused.statusCode());
        assertEquals("InvalidAttributeValue", refused.awsErrorDetails().errorCode());
        assertTrue(refused.awsErrorDetails().errorMessage().startsWith("Invalid value for the parameter Policy. Reason: ")
                && refused.awsErrorDetails().errorMessage().contains("ForAnyValue:StringLike"),
                refused.awsErrorDetails().errorMessage());
        assertEquals(before, storedPolicy(url));

        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "")));
        assertEquals(null, storedPolicy(url));
    }

    @Test
    void aQueueCreatedWithAPolicyNamingAnUnknownConditionKeyIsNotCreated() {
        AwsServiceException refused = assertThrows(AwsServiceException.class, () -> sqs.createQueue(b -> b
                .queueName("policy-refused").attributes(Map.of(QueueAttributeName.POLICY,
                        policy("policy-refused", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}")))));
        assertEquals("InvalidAttributeValue", refused.awsErrorDetails().errorCode());
        assertTrue(refused.awsErrorDetails().errorMessage().contains("aws:PrincipalOrgID"),
                refused.awsErrorDetails().errorMessage());
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("policy-refused")));
    }
}
