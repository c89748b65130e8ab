package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.testing.FreePorts;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The attempt counter sees every HTTP attempt of the SDK's standard retries, on the calling thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttemptCounterTest {

    @Test
    void aCallToANodeThatIsDownCountsEveryAttemptOfTheStandardRetries() {
        AttemptCounter attempts = new AttemptCounter();
        try (SqsClient sqs = SqsTestServer.clientWatchedBy(FreePorts.next(), attempts)) {
            assertThrows(SdkClientException.class, () -> sqs.listQueues());
            assertEquals(3, attempts.lastCall(), "the standard retry mode makes 3 attempts");
        }
    }
}
