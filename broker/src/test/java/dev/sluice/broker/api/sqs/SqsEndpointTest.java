package dev.sluice.broker.api.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.QueueClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input is a 4xx with SQS's code in each protocol, never a 500. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SqsEndpointTest {

    private final QueueClient unreachable = GoldenWireTest.client(new AtomicReference<>(),
            CompletableFuture.failedFuture(new AssertionError("the client must not be called")));
    private final SqsEndpoint endpoint = new SqsEndpoint(unreachable, () -> "req-1");

    private SqsHttpResponse json(String target, String body) throws Exception {
        return endpoint.handle(new SqsHttpRequest("POST", "application/x-amz-json-1.0", target, null,
                body.getBytes(StandardCharsets.UTF_8), "", null, null)).get();
    }

    private SqsHttpResponse query(String body) throws Exception {
        return endpoint.handle(new SqsHttpRequest("POST", "application/x-www-form-urlencoded", null, null,
                body.getBytes(StandardCharsets.UTF_8), "", null, null)).get();
    }

    @Test
    void anUnknownJsonTargetIsAnUnknownOperation() throws Exception {
        SqsHttpResponse response = json("AmazonSQS.Explode", "{}");
        assertEquals(400, response.status());
        assertTrue(response.bodyText().contains("com.amazon.coral.service#UnknownOperationException"));
        assertEquals("InvalidAction;Sender", response.headers().get("x-amzn-query-error"));
    }

    @Test
    void malformedJsonAndWrongMemberTypesAreSerializationExceptions() throws Exception {
        assertEquals(400, json("AmazonSQS.SendMessage", "{\"QueueUrl\": ").status());
        SqsHttpResponse wrongType = json("AmazonSQS.ReceiveMessage", "{\"QueueUrl\": \"u\", \"MaxNumberOfMessages\": \"ten\"}");
        assertEquals(400, wrongType.status());
        assertTrue(wrongType.bodyText().contains("SerializationException"));
        assertEquals(400, json("AmazonSQS.SendMessageBatch", "{\"Entries\": [null]}").status());
        assertEquals(400, json("AmazonSQS.CreateQueue", "[1, 2]").status());
    }

    @Test
    void queryRequestsWithoutOrWithUnknownActionsAreRejected() throws Exception {
        SqsHttpResponse missing = query("QueueName=q");
        assertEquals(400, missing.status());
        assertTrue(missing.bodyText().contains("<Code>MissingAction</Code>"));
        SqsHttpResponse unknown = query("Action=Explode");
        assertTrue(unknown.bodyText().contains("<Code>InvalidAction</Code>"));
    }

    @Test
    void brokenQueryEncodingAndNonIntegerValuesAreRejected() throws Exception {
        SqsHttpResponse broken = query("Action=ListQueues&QueueNamePrefix=%zz");
        assertEquals(404, broken.status());
        assertTrue(broken.bodyText().contains("<Code>MalformedQueryString</Code>"));
        SqsHttpResponse notInteger = query("Action=ListQueues&MaxResults=many");
        assertEquals(400, notInteger.status());
        assertTrue(notInteger.bodyText().contains("<Code>InvalidParameterValue</Code>"));
    }

    @Test
    void anUnexpectedClientFailureIsAnInternalErrorAndAReceiverFault() throws Exception {
        SqsHttpResponse response = query("Action=ListQueues");
        assertEquals(500, response.status());
        assertTrue(response.bodyText().contains("<Type>Receiver</Type><Code>InternalError</Code>"));
    }
}
