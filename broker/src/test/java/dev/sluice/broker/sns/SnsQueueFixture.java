package dev.sluice.broker.sns;

import dev.sluice.broker.sqs.SqsTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queues subscribed to topics, as the SNS dead-letter tests set them up and read them back, through the AWS SDK. */
final class SnsQueueFixture {
    static final String ACCOUNT_ARN = "arn:aws:sqs:us-east-1:000000000000:";

    private SnsQueueFixture() {
    }

    static String fifoQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new TreeMap<>(attributes);
        all.put(QueueAttributeName.FIFO_QUEUE, "true");
        return sqs.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
    }

    /** Subscribes queue {@code name} with raw delivery, and a dead-letter queue when {@code deadLetters} is not null. */
    static String subscribe(SnsClient sns, String topic, String name, String deadLetters) {
        Map<String, String> attributes = deadLetters == null ? Map.of("RawMessageDelivery", "true")
                : Map.of("RawMessageDelivery", "true", "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"" + ACCOUNT_ARN + deadLetters + "\"}");
        return sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(ACCOUNT_ARN + name).attributes(attributes)
                .returnSubscriptionArn(true)).subscriptionArn();
    }

    /**
     * Receives and deletes until {@code expected} messages came or {@code within} passed: the messages in the order
     * received, each as {@code group|body} when {@code withGroups} and the queue is FIFO, else the body.
     */
    static List<String> drain(SqsClient sqs, String url, int expected, Duration within, boolean withGroups) {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            for (Message message : messages) {
                String group = withGroups ? message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID) : null;
                received.add(group == null ? message.body() : group + "|" + message.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }

    /** The topic's sluice_sns_{kind}_notifications_total for sqs subscriptions, from the server's meters. */
    static double sqsNotifications(SqsTestServer server, String kind, String topic) {
        Pattern line = Pattern.compile("^sluice_sns_" + kind + "_notifications_total\\{([^}]*)\\} (\\S+)$",
                Pattern.MULTILINE);
        Matcher matcher = line.matcher(server.sluice().meters().scrape());
        while (matcher.find()) {
            if (matcher.group(1).contains("topic=\"" + topic + "\"") && matcher.group(1).contains("protocol=\"sqs\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
