package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A publish whose copies together are larger than one Raft entry may be still reaches every subscriber: one 250 KB
 * publish to a topic with 26 raw sqs subscriptions (6.5 MB of copies, past the store's limit of an entry) is left by the
 * fan-out in one entry to the receive loop, which sends it per subscription. (At level 3 the receive loop alone did it;
 * FanoutFeatureLevelIT holds that loop.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeFanOutDeliveryIT {
    private static final int SUBSCRIBERS = 26;

    @TempDir
    Path data;

    @Test
    void aLargePublishReachesEveryOneOfManyRawQueueSubscribers() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data)) {
            assertEveryQueueReached(server);
        }
    }

    private static void assertEveryQueueReached(SqsTestServer server) throws Exception {
        try (SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(b -> b.name("wide")).topicArn();
            List<String> queues = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                String queue = "wide-q" + i;
                queues.add(server.sqs.createQueue(b -> b.queueName(queue)).queueUrl());
                sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                        .endpoint("arn:aws:sqs:us-east-1:000000000000:" + queue)
                        .attributes(Map.of("RawMessageDelivery", "true")));
            }

            sns.publish(b -> b.topicArn(topic).message("x".repeat(250_000)));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int reached = 0;
            while (System.nanoTime() < deadline) {
                reached = 0;
                for (String queue : queues) {
                    reached += Integer.parseInt(server.sqs.getQueueAttributes(b -> b.queueUrl(queue)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) > 0 ? 1 : 0;
                }
                if (reached == SUBSCRIBERS) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(SUBSCRIBERS, reached, "subscribed queues the publish reached");
        }
    }
}
