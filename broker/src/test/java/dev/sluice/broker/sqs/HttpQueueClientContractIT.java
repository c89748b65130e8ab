package dev.sluice.broker.sqs;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.contract.QueueClientContract;
import dev.sluice.clientsdk.http.HttpQueueClient;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The QueueClient contract against the SDK's HTTP client talking SQS JSON 1.0 (signed) to a running server. */
class HttpQueueClientContractIT extends QueueClientContract {
    private SqsTestServer server;
    private QueueClient client;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        client = HttpQueueClient.builder().endpoint(URI.create("http://127.0.0.1:" + server.port()))
                .credentials(AwsCredentials.of("test", "test")).build();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Override
    protected QueueClient client() {
        return client;
    }
}
