package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Three Sluice processes; producers send through a follower's HTTP port while the queue group's
 * leader is killed with SIGKILL. Every acknowledged message is delivered afterwards.
 */
@Tag("fault")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueueClusterFailoverIT {

    @Test
    void leaderKillLosesNoAcknowledgedMessage() throws Exception {
        try (SluiceProcesses sluice = new SluiceProcesses(3)) {
            sluice.startAll();
            int leader = sluice.leaderOfQueueGroup(0);
            int entry = (leader + 1) % 3;
            String url;
            try (SqsClient sqs = SqsTestServer.client(sluice.httpPorts[entry])) {
                url = sqs.createQueue(b -> b.queueName("replicated")).queueUrl();
            }
            TrackedProducers producers = new TrackedProducers(3, () -> SqsTestServer.client(sluice.httpPorts[entry]), url);
            producers.awaitAcknowledged(100, 60_000);
            sluice.kill(leader);
            int before = producers.acknowledgedCount();
            producers.awaitAcknowledged(before + 100, 60_000);
            Set<String> acknowledged = producers.stop();
            assertTrue(acknowledged.size() > before, "sends were acknowledged again after the leader died" + sluice.logTails());

            Map<String, Integer> deliveries;
            try (SqsClient sqs = SqsTestServer.client(sluice.httpPorts[entry])) {
                deliveries = SqsTestServer.drain(sqs, url);
            }
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(deliveries.keySet());
            long duplicates = deliveries.values().stream().filter(times -> times > 1).count();
            System.out.printf("queue failover: acknowledged=%d (%d before the kill) delivered=%d missing=%d duplicates=%d%n",
                    acknowledged.size(), before, deliveries.size(), missing.size(), duplicates);
            assertTrue(missing.isEmpty(), "acknowledged messages lost: " + missing.size() + sluice.logTails());
        }
    }
}
