package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Per-topic meters after real SNS traffic: messages and bytes published, notifications delivered to an sqs
 * subscription, kept from one by its filter policy, and failed attempts to a subscription whose queue does not exist.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicMetricsIT {

    @Test
    void publishedDeliveredFilteredOutAndFailedAreCountedPerTopicAndProtocol(@TempDir Path data) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data); SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(request -> request.name("counted-topic")).topicArn();
            String url = server.sqs.createQueue(request -> request.queueName("topic-target")).queueUrl();
            server.sqs.createQueue(request -> request.queueName("topic-filtered"));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:topic-target"));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:topic-filtered")
                    .attributes(Map.of("FilterPolicy", "{\"kind\":[\"never\"]}")));
            sns.subscribe(request -> request.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:topic-missing"));
            MessageAttributeValue kind = MessageAttributeValue.builder().dataType("String").stringValue("alert").build();
            sns.publish(request -> request.topicArn(topic).message("x".repeat(100)).messageAttributes(Map.of("kind", kind)));
            sns.publish(request -> request.topicArn(topic).message("y".repeat(50)));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            MetricsScrape scrape;
            do {
                Thread.sleep(200);
                scrape = MetricsScrape.of(server.port());
            } while ((scrape.value("sluice_sns_delivered_notifications_total", "topic", "counted-topic").orElse(0.0) < 2
                    || scrape.value("sluice_sns_failed_notifications_total", "topic", "counted-topic").orElse(0.0) < 1)
                    && System.nanoTime() < deadline);

            assertEquals(Optional.of(2.0), scrape.value("sluice_sns_published_messages_total", "topic", "counted-topic"),
                    scrape.text());
            // 100 + 50 bytes of message, plus the attribute: name, type and value, as SNS measures it.
            assertEquals(Optional.of(150.0 + "kind".length() + "String".length() + "alert".length()),
                    scrape.value("sluice_sns_published_bytes_total", "topic", "counted-topic"));
            assertEquals(Optional.of(2.0), scrape.value("sluice_sns_delivered_notifications_total", "topic", "counted-topic",
                    "protocol", "sqs"), "both copies reached topic-target, none went elsewhere");
            assertEquals(Optional.of(2.0), scrape.value("sluice_sns_filtered_out_notifications_total", "topic",
                    "counted-topic", "protocol", "sqs"));
            assertTrue(scrape.value("sluice_sns_failed_notifications_total", "topic", "counted-topic", "protocol", "sqs")
                    .orElse(0.0) >= 1, "attempts to topic-missing failed");
            assertEquals(2, server.sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(5)).messages().size());
        }
    }
}
