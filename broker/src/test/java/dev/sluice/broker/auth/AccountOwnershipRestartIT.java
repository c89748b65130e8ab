package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Ownership is part of the stored queue: after a restart (state read back from disk) each account still has its own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccountOwnershipRestartIT {

    @TempDir
    Path data;

    @Test
    void eachAccountKeepsItsOwnQueueOfTheSameNameAcrossARestart() throws Exception {
        String urlA;
        String urlB;
        try (SqsTestServer server = SqsTestServer.start(data, AccountIsolationIT::twoAccounts);
                SqsClient a = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_A, AccountIsolationIT.SECRET_A);
                SqsClient b = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_B, AccountIsolationIT.SECRET_B)) {
            urlA = a.createQueue(r -> r.queueName("jobs")).queueUrl();
            urlB = b.createQueue(r -> r.queueName("jobs")).queueUrl();
            String url = urlB;
            b.sendMessage(r -> r.queueUrl(url).messageBody("b's job"));
        }
        try (SqsTestServer server = SqsTestServer.start(data, AccountIsolationIT::twoAccounts);
                SqsClient a = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_A, AccountIsolationIT.SECRET_A);
                SqsClient b = AccountIsolationIT.client(server.port(), AccountIsolationIT.KEY_B, AccountIsolationIT.SECRET_B)) {
            String pathA = urlA.substring(urlA.indexOf('/', 8));
            String pathB = urlB.substring(urlB.indexOf('/', 8));
            assertEquals(pathA, path(a.getQueueUrl(r -> r.queueName("jobs")).queueUrl()));
            assertEquals(pathB, path(b.getQueueUrl(r -> r.queueName("jobs")).queueUrl()));
            assertEquals(List.of(pathB), b.listQueues(r -> r.queueNamePrefix("jobs")).queueUrls().stream()
                    .map(AccountOwnershipRestartIT::path).toList());
            String seenB = b.getQueueUrl(r -> r.queueName("jobs")).queueUrl();
            assertThrows(QueueDoesNotExistException.class, () -> a.receiveMessage(r -> r.queueUrl(seenB)));
            assertEquals(List.of(), a.receiveMessage(r -> r.queueUrl(a.getQueueUrl(q -> q.queueName("jobs")).queueUrl()))
                    .messages());
            assertEquals(List.of("b's job"), b.receiveMessage(r -> r.queueUrl(seenB).waitTimeSeconds(5)).messages().stream()
                    .map(m -> m.body()).toList());
        }
    }

    private static String path(String url) {
        return url.substring(url.indexOf('/', 8));
    }
}
