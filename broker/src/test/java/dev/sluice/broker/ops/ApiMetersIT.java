package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.sqs.AmazonSQS;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.SqsError;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The request meters label every call by API and action, not by route: SQS over JSON (SDK v2) and over Query (SDK
 * v1), SNS and REST, with failures counted by their error code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiMetersIT {
    private static final String REQUESTS = "sluice_api_request_seconds_count";
    private SqsTestServer server;
    private AmazonSQS query;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        query = SqsTestServer.queryClient(server.port());
    }

    @AfterAll
    void stop() {
        query.shutdown();
        server.close();
    }

    private double requests(MetricsScrape scrape, String api, String action) {
        return scrape.matching(REQUESTS, "api", api, "action", action).stream().mapToDouble(MetricsScrape.Sample::value).sum();
    }

    @Test
    void sqsActionsAreLabelledByActionOverBothProtocols() throws Exception {
        String url = server.sqs.createQueue(request -> request.queueName("labelled")).queueUrl();
        for (int i = 0; i < 3; i++) {
            server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("json"));
        }
        query.sendMessage(url, "query one");
        query.sendMessage(url, "query two");
        query.receiveMessage(url);

        MetricsScrape scrape = MetricsScrape.of(server.port());
        assertEquals(3, requests(scrape, "sqs_json", "SendMessage"), scrape.text());
        assertEquals(2, requests(scrape, "sqs_query", "SendMessage"));
        assertEquals(1, requests(scrape, "sqs_query", "ReceiveMessage"));
        assertEquals(Optional.of(3.0), scrape.value(REQUESTS, "api", "sqs_json", "action", "SendMessage", "status", "200"));
        assertTrue(scrape.matching(REQUESTS).stream().noneMatch(sample -> sample.labels().containsKey("route")));
        assertTrue(scrape.value("sluice_api_request_seconds_bucket", "api", "sqs_json", "action", "SendMessage",
                "le", "+Inf").isPresent(), "latency buckets");
    }

    @Test
    void aFailedCallIsCountedByItsErrorCode() throws Exception {
        assertThrows(QueueDoesNotExistException.class, () -> server.sqs.getQueueUrl(request -> request.queueName("absent")));

        MetricsScrape scrape = MetricsScrape.of(server.port());
        assertEquals(Optional.of(1.0), scrape.value("sluice_api_failed_requests_total", "api", "sqs_json",
                "action", "GetQueueUrl", "code", SqsError.QUEUE_DOES_NOT_EXIST.code()), scrape.text());
    }

    @Test
    void snsPublishAndRestOperationsAreLabelledByActionAndOperation() throws Exception {
        try (SnsClient sns = SnsClients.client(server.port())) {
            String topic = sns.createTopic(request -> request.name("labelled-topic")).topicArn();
            sns.publish(request -> request.topicArn(topic).message("one"));
            sns.publish(request -> request.topicArn(topic).message("two"));
        }
        server.sqs.createQueue(request -> request.queueName("rest-labelled"));
        new RawHttp(server.port()).send("POST", "/v1/queues/rest-labelled/messages", List.of(), "rest");

        MetricsScrape scrape = MetricsScrape.of(server.port());
        assertEquals(2, requests(scrape, "sns", "Publish"), scrape.text());
        assertEquals(1, requests(scrape, "sns", "CreateTopic"));
        assertEquals(1, requests(scrape, "rest", "sendMessage"));
    }
}
