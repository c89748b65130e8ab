package dev.sluice.broker.api.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import dev.sluice.broker.api.CannedQueueClient;
import dev.sluice.broker.service.SqsLimits;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The real AWS SDKs against {@link SqsRoutes} over a canned queue client: SDK v2 speaks JSON 1.0,
 * SDK v1 1.12.583 speaks Query. Both verify MD5s of sends and receives and reject wrong ones, so a
 * pass here is the cross-check of {@code MessageMd5} against AWS's own implementation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqsWireCompatibilityIT {

    private static CannedSqsServer server;
    private static String endpoint;
    private static SqsClient v2;
    private static AmazonSQS v1;

    @BeforeAll
    static void startServer() throws Exception {
        server = CannedSqsServer.start(SqsLimits.defaults());
        endpoint = server.endpoint();
        v2 = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        v1 = AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint, "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("key", "secret"))).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        v2.close();
        v1.shutdown();
        server.close();
    }

    private static Map<String, MessageAttributeValue> v2Attributes() {
        return Map.of(
                "severity", MessageAttributeValue.builder().dataType("String").stringValue("critical").build(),
                "count", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray("bytes\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1)))
                        .build());
    }

    private static Map<String, com.amazonaws.services.sqs.model.MessageAttributeValue> v1Attributes() {
        return Map.of(
                "severity", new com.amazonaws.services.sqs.model.MessageAttributeValue().withDataType("String")
                        .withStringValue("critical"),
                "count", new com.amazonaws.services.sqs.model.MessageAttributeValue().withDataType("Number")
                        .withStringValue("42"),
                "blob", new com.amazonaws.services.sqs.model.MessageAttributeValue().withDataType("Binary")
                        .withBinaryValue(ByteBuffer.wrap("bytes\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void sdkV2CreatesAQueueOverJson() {
        String url = v2.createQueue(request -> request.queueName("alerts")
                .attributes(Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
                .queueUrl();
        assertEquals(endpoint + "/000000000000/alerts", url);
    }

    @Test
    void sdkV2SendsWithAttributesAndAcceptsTheMd5s() {
        SendMessageResponse response = v2.sendMessage(request -> request.queueUrl(endpoint + "/000000000000/alerts")
                .messageBody(CannedQueueClient.BODY).messageAttributes(v2Attributes()));
        assertEquals(CannedQueueClient.MESSAGE_ID, response.messageId());
    }

    @Test
    void sdkV2ReceivesAMessageWithAttributesAndAcceptsTheMd5s() {
        ReceiveMessageResponse response = v2.receiveMessage(request -> request
                .queueUrl(endpoint + "/000000000000/alerts").messageAttributeNames("All")
                .messageSystemAttributeNamesWithStrings("All").maxNumberOfMessages(10));
        assertEquals(1, response.messages().size());
        var message = response.messages().get(0);
        assertEquals(CannedQueueClient.BODY, message.body());
        assertEquals("critical", message.messageAttributes().get("severity").stringValue());
        assertArrayEquals("bytes\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1),
                message.messageAttributes().get("blob").binaryValue().asByteArray());
        assertEquals("1", message.attributesAsStrings().get("ApproximateReceiveCount"));
    }

    @Test
    void sdkV2SeesOneFailedEntryOfABatch() {
        SendMessageBatchResponse response = v2.sendMessageBatch(request -> request
                .queueUrl(endpoint + "/000000000000/alerts").entries(
                        SendMessageBatchRequestEntry.builder().id("ok").messageBody("fine")
                                .messageAttributes(v2Attributes()).build(),
                        SendMessageBatchRequestEntry.builder().id("late").messageBody("x").delaySeconds(901).build()));
        assertEquals(List.of("ok"), response.successful().stream().map(entry -> entry.id()).toList());
        assertEquals(1, response.failed().size());
        assertEquals("late", response.failed().get(0).id());
        assertEquals("InvalidParameterValue", response.failed().get(0).code());
        assertTrue(response.failed().get(0).senderFault());
    }

    @Test
    void sdkV2MapsQueueDoesNotExistToItsExceptionType() {
        QueueDoesNotExistException e = assertThrows(QueueDoesNotExistException.class,
                () -> v2.getQueueUrl(request -> request.queueName("missing")));
        assertEquals(400, e.statusCode());
    }

    @Test
    void bothSdksRejectAWrongBodyMd5SoTheirChecksAreLive() {
        assertThrows(software.amazon.awssdk.core.exception.SdkClientException.class, () -> v2.sendMessage(
                request -> request.queueUrl(endpoint + "/000000000000/wrong-md5").messageBody("x")));
        assertThrows(com.amazonaws.AmazonClientException.class,
                () -> v1.sendMessage(endpoint + "/000000000000/wrong-md5", "x"));
    }

    @Test
    void sdkV1CreatesAQueueOverQuery() {
        assertEquals(endpoint + "/000000000000/alerts", v1.createQueue("alerts").getQueueUrl());
    }

    @Test
    void sdkV1SendsWithAttributesAndAcceptsTheMd5s() {
        var response = v1.sendMessage(new com.amazonaws.services.sqs.model.SendMessageRequest(
                endpoint + "/000000000000/alerts", CannedQueueClient.BODY).withMessageAttributes(v1Attributes()));
        assertEquals(CannedQueueClient.MESSAGE_ID, response.getMessageId());
    }

    @Test
    void sdkV1ReceivesAMessageWithAttributesAndAcceptsTheMd5s() {
        var response = v1.receiveMessage(new com.amazonaws.services.sqs.model.ReceiveMessageRequest(
                endpoint + "/000000000000/alerts").withMessageAttributeNames("All").withAttributeNames("All"));
        assertEquals(1, response.getMessages().size());
        var message = response.getMessages().get(0);
        assertEquals(CannedQueueClient.BODY, message.getBody());
        assertEquals("42", message.getMessageAttributes().get("count").getStringValue());
        assertEquals("1700000000000", message.getAttributes().get("SentTimestamp"));
    }

    @Test
    void sdkV1SeesOneFailedEntryOfABatch() {
        var response = v1.sendMessageBatch(new com.amazonaws.services.sqs.model.SendMessageBatchRequest(
                endpoint + "/000000000000/alerts").withEntries(
                new com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry("ok", "fine")
                        .withMessageAttributes(v1Attributes()),
                new com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry("late", "x").withDelaySeconds(901)));
        assertEquals(1, response.getSuccessful().size());
        assertEquals("late", response.getFailed().get(0).getId());
        assertEquals("InvalidParameterValue", response.getFailed().get(0).getCode());
    }

    @Test
    void sdkV1TagsAQueueWithItsTagsPrefixAndReadsTheTagsBack() {
        String queue = endpoint + "/000000000000/alerts";
        v1.tagQueue(queue, Map.of("team", "ops"));
        assertEquals(Map.of("team", "ops"), v1.listQueueTags(queue).getTags());
    }

    @Test
    void sdkV1MapsQueueDoesNotExistToItsExceptionType() {
        var e = assertThrows(com.amazonaws.services.sqs.model.QueueDoesNotExistException.class,
                () -> v1.getQueueUrl("missing"));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", e.getErrorCode());
    }
}
