package dev.sluice.broker.sqs;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.contract.QueueClientContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The QueueClient contract against the server's in-process client (no HTTP hop). */
class InProcessQueueClientContractIT extends QueueClientContract {
    private SqsTestServer server;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Override
    protected QueueClient client() {
        return server.server.queueClient();
    }
}
