package dev.sluice.broker.sdk;

import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.http.HttpQueueClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A running server per test class and the SDK's HTTP client to it, every call recorded. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RemoteClientFixture {
    SqsTestServer server;
    RecordingQueueClient recorded;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        recorded = new RecordingQueueClient(HttpQueueClient.builder()
                .endpoint(URI.create("http://127.0.0.1:" + server.port())).build());
    }

    @AfterAll
    void stop() {
        server.close();
    }
}
