package dev.sluice.clientsdk.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.SyncQueueClient;
import dev.sluice.clientsdk.http.CannedHttpServer.Answer;
import dev.sluice.clientsdk.model.GetQueueUrlRequest;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking wrapper over the HTTP client, against a real HTTP server answering as scripted. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncQueueClientTest {

    private static final GetQueueUrlRequest REQUEST = new GetQueueUrlRequest("q", null);

    @Test
    void answersAreReturnedAndSqsErrorsThrownUnwrapped() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> n == 0
                ? Answer.ok("{\"QueueUrl\":\"http://h/000000000000/q\"}")
                : Answer.error(400, "QueueDoesNotExist", null))) {
            SyncQueueClient sync = new SyncQueueClient(HttpQueueClient.builder().endpoint(server.uri()).build());
            assertEquals("http://h/000000000000/q", sync.getQueueUrl(REQUEST).queueUrl());
            assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, assertThrows(SqsException.class, () -> sync.getQueueUrl(REQUEST)).error());
        }
    }

    @Test
    void aCallOverMaxWaitIsCancelledAndReportedUnavailable() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> new Answer(200, Map.of(), "{}", 3_000))) {
            SyncQueueClient sync = new SyncQueueClient(HttpQueueClient.builder().endpoint(server.uri()).build(),
                    Duration.ofMillis(200));
            assertEquals(SqsError.SERVICE_UNAVAILABLE, assertThrows(SqsException.class, () -> sync.getQueueUrl(REQUEST)).error());
        }
    }

    @Test
    void connectionFailuresAreUncheckedIoExceptions() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SyncQueueClient sync = new SyncQueueClient(HttpQueueClient.builder()
                .endpoint(URI.create("http://127.0.0.1:" + closedPort)).retryPolicy(RetryPolicy.none()).build());
        assertThrows(UncheckedIOException.class, () -> sync.getQueueUrl(REQUEST));
    }
}
