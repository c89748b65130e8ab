package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.TopicClient;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client-sdk's TopicClient (SNS Query, SigV4) against a real node. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicClientIT {
    @TempDir
    Path data;

    @Test
    void createsSubscribesPublishesAndReadsSnsErrors() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data)) {
            TopicClient topics = new TopicClient(URI.create("http://127.0.0.1:" + server.port()), "us-east-1",
                    AwsCredentials.of("test", "testtest"), HttpClient.newHttpClient(), InstantSource.system());
            String topic = topics.createTopic("client-made", Map.of("DisplayName", "Made")).join();
            assertEquals("arn:aws:sns:us-east-1:000000000000:client-made", topic);
            assertTrue(topics.listTopics().join().contains(topic));
            assertEquals("Made", topics.getTopicAttributes(topic).join().get("DisplayName"));
            String queue = server.sqs.createQueue(b -> b.queueName("client-target")).queueUrl();
            String subscription = topics.subscribe(topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:client-target",
                    Map.of("RawMessageDelivery", "true")).join();
            assertTrue(subscription.startsWith(topic + ":"));
            String messageId = topics.publish(topic, "from the client", "S",
                    Map.of("k", MessageAttributeValue.ofString("String", "v"))).join();
            assertTrue(messageId.length() > 0);
            var received = server.sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(10)
                    .messageAttributeNames("All")).messages();
            assertEquals("from the client", received.get(0).body());
            assertEquals("v", received.get(0).messageAttributes().get("k").stringValue());
            CompletionException failure = assertThrows(CompletionException.class,
                    () -> topics.getTopicAttributes("arn:aws:sns:us-east-1:000000000000:missing").join());
            SnsException error = assertInstanceOf(SnsException.class, failure.getCause());
            assertEquals(SnsError.NOT_FOUND, error.error());
            topics.unsubscribe(subscription).join();
            topics.deleteTopic(topic).join();
            assertTrue(!topics.listTopics().join().contains(topic));
        }
    }
}
