package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A FIFO topic fanning out to two FIFO queues: the same order per group in both, deduplicated publishes. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FifoTopicIT {
    @TempDir
    Path data;

    @Test
    void twoFifoQueuesReceiveEveryGroupInPublishOrderWithoutDuplicates() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data); SnsClient sns = SnsClients.client(server.port())) {
            SqsClient sqs = server.sqs;
            assertThrows(InvalidParameterException.class, () -> sns.createTopic(b -> b.name("orders")
                    .attributes(Map.of("FifoTopic", "true"))));
            assertThrows(InvalidParameterException.class, () -> sns.createTopic(b -> b.name("orders.fifo")));
            String topic = sns.createTopic(b -> b.name("orders.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
            assertEquals("true", sns.getTopicAttributes(b -> b.topicArn(topic)).attributes().get("FifoTopic"));
            List<String> queues = new ArrayList<>();
            for (String name : List.of("billing.fifo", "shipping.fifo")) {
                queues.add(sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl());
                sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + name)
                        .attributes(Map.of("RawMessageDelivery", "true")));
            }
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(topic).protocol("https")
                    .endpoint("https://example.com/")));
            String standardTopic = sns.createTopic(b -> b.name("standard")).topicArn();
            assertThrows(InvalidParameterException.class, () -> sns.subscribe(b -> b.topicArn(standardTopic)
                    .protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:billing.fifo")));
            assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("no group")
                    .messageDeduplicationId("d")));
            assertThrows(InvalidParameterException.class, () -> sns.publish(b -> b.topicArn(topic).message("no dedup")
                    .messageGroupId("g")));

            Map<String, List<String>> published = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                String group = "customer-" + (i % 3);
                String body = group + "/" + i;
                int index = i;
                var result = sns.publish(b -> b.topicArn(topic).message(body).messageGroupId(group)
                        .messageDeduplicationId("order-" + index));
                assertNotNull(result.sequenceNumber());
                published.computeIfAbsent(group, key -> new ArrayList<>()).add(body);
            }
            // A retried publish with the same deduplication id is accepted and delivered once.
            sns.publish(b -> b.topicArn(topic).message("customer-0/0").messageGroupId("customer-0")
                    .messageDeduplicationId("order-0"));
            var batch = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                    PublishBatchRequestEntry.builder().id("a").message("customer-1/12").messageGroupId("customer-1")
                            .messageDeduplicationId("order-12").build(),
                    PublishBatchRequestEntry.builder().id("b").message("missing group").messageDeduplicationId("x").build()));
            assertEquals(1, batch.successful().size());
            assertEquals("b", batch.failed().get(0).id());
            published.get("customer-1").add("customer-1/12");

            for (String queue : queues) {
                Map<String, List<String>> received = new HashMap<>();
                int expected = 13;
                int count = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (count < expected && System.nanoTime() < deadline) {
                    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                            .waitTimeSeconds(2)).messages();
                    for (Message message : messages) {
                        received.computeIfAbsent(message.body().substring(0, message.body().indexOf('/')),
                                key -> new ArrayList<>()).add(message.body());
                        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                        count++;
                    }
                }
                assertEquals(published, received, queue);
                assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages().size());
            }
        }
    }

    @Test
    void contentBasedDeduplicationDropsTheSameBodyWithinTheWindow() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data); SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("alerts.fifo").attributes(Map.of("FifoTopic", "true",
                    "ContentBasedDeduplication", "true"))).topicArn();
            String queue = server.sqs.createQueue(b -> b.queueName("alerts-in.fifo").attributes(Map.of(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:alerts-in.fifo")
                    .attributes(Map.of("RawMessageDelivery", "true")));
            sns.publish(b -> b.topicArn(topic).message("same").messageGroupId("g"));
            sns.publish(b -> b.topicArn(topic).message("same").messageGroupId("g"));
            sns.publish(b -> b.topicArn(topic).message("other").messageGroupId("g"));
            List<String> bodies = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (bodies.size() < 2 && System.nanoTime() < deadline) {
                server.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2)).messages()
                        .forEach(message -> {
                            bodies.add(message.body());
                            server.sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                        });
            }
            assertEquals(List.of("same", "other"), bodies);
            assertEquals(0, server.sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages().size());
            assertThrows(InvalidParameterException.class, () -> sns.createTopic(b -> b.name("plain")
                    .attributes(Map.of("ContentBasedDeduplication", "true"))));
        }
    }
}
