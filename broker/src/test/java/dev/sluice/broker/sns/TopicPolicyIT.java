package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Topic policies on a server without access keys (auth off, loopback): every caller is anonymous, so a Deny
 * for {@code *} still applies, and {@code aws:SourceIp} conditions see the client's address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicPolicyIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    private static String deny(String action, String topic, String condition) {
        return "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"" + action + "\",\"Resource\":\""
                + topic + "\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    @Test
    void aDenyForEveryoneRefusesTheAnonymousCallerOfThatActionOnly() {
        String topic = sns.createTopic(b -> b.name("policy-anonymous")).topicArn();
        sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy").attributeValue(deny("sns:Publish", topic, null)));

        AuthorizationErrorException denied = assertThrows(AuthorizationErrorException.class,
                () -> sns.publish(b -> b.topicArn(topic).message("x")));
        assertEquals(403, denied.statusCode());
        assertEquals("User: anonymous is not authorized to perform: SNS:Publish on resource: " + topic
                + " with an explicit deny in a resource-based policy", denied.awsErrorDetails().errorMessage());
        assertEquals(topic, sns.getTopicAttributes(b -> b.topicArn(topic)).attributes().get("TopicArn"));

        sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy").attributeValue(""));
        sns.publish(b -> b.topicArn(topic).message("allowed again"));
    }

    @Test
    void sourceIpConditionsSeeTheClientsAddress() {
        String topic = sns.createTopic(b -> b.name("policy-ip")).topicArn();
        sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy").attributeValue(
                deny("sns:*", topic, "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")));
        sns.publish(b -> b.topicArn(topic).message("from loopback"));

        sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy").attributeValue(
                deny("sns:*", topic, "{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}")));
        assertThrows(AuthorizationErrorException.class, () -> sns.listTagsForResource(b -> b.resourceArn(topic)));
        assertThrows(AuthorizationErrorException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:nowhere")));
        // SetTopicAttributes is topic-scoped too: the Deny on sns:* locks the policy itself, as in AWS.
        assertThrows(AuthorizationErrorException.class, () -> sns.setTopicAttributes(b -> b.topicArn(topic)
                .attributeName("Policy").attributeValue("")));
        sns.listTopics();
    }

    @Test
    void aPolicyGivenAtCreationAppliesAtOnceEvenAfterAPublishToTheTopicBeforeItExisted() {
        String topic = "arn:aws:sns:us-east-1:000000000000:policy-at-creation";
        assertThrows(NotFoundException.class, () -> sns.publish(b -> b.topicArn(topic).message("too early")));
        sns.createTopic(b -> b.name("policy-at-creation").attributes(java.util.Map.of("Policy",
                deny("sns:Publish", topic, null))));
        assertThrows(AuthorizationErrorException.class, () -> sns.publish(b -> b.topicArn(topic).message("x")));
    }
}
