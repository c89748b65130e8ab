package dev.sluice.broker.sqs;

import static dev.sluice.broker.hostile.AnswerChecks.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import dev.sluice.broker.hostile.AnswerChecks.Wire;
import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.clientsdk.SqsAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Issue 12's examples of hostile input to both SQS protocols, through raw HTTP (for what no SDK sends)
 * and the AWS SDKs (v2 speaks JSON 1.0, v1 speaks Query): every one is a 400 with the protocol's code,
 * a well-formed answer and no Java internals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqsHostileInputIT {
    @TempDir
    static Path dir;
    static SqsTestServer server;
    static SqsClient sqs;
    static AmazonSQS query;
    static RawHttp http;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
        sqs = server.sqs;
        query = SqsTestServer.queryClient(server.port());
        http = new RawHttp(server.port());
        url = sqs.createQueue(b -> b.queueName("hostile")).queueUrl();
    }

    @AfterAll
    static void stop() {
        if (query != null) {
            query.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    static RawHttp.Answer json(String action, byte[] body) throws IOException {
        return http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "AmazonSQS." + action)), body);
    }

    static RawHttp.Answer json(String action, String body) throws IOException {
        return json(action, body.getBytes(StandardCharsets.UTF_8));
    }

    static RawHttp.Answer form(byte[] body) throws IOException {
        return http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), body);
    }

    static RawHttp.Answer form(String body) throws IOException {
        return form(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSerializationException(String action, String body) throws IOException {
        RawHttp.Answer answer = json(action, body);
        assertError(answer, Wire.JSON, 400, "SerializationException", action + " " + body);
        assertEquals("SerializationException;Sender", answer.headers().get("x-amzn-query-error"));
    }

    @Test
    void aNullJsonBodyIsASerializationExceptionForEveryAction() throws IOException {
        for (SqsAction action : SqsAction.values()) {
            assertSerializationException(action.wireName(), "null");
        }
    }

    @Test
    void aJsonRequestWithoutAnOperationIsAnInvalidActionThatSaysSo() throws IOException {
        RawHttp.Answer answer = http.send("POST", "/", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0")),
                "{}");
        assertError(answer, Wire.JSON, 400, "UnknownOperationException", "no X-Amz-Target");
        assertTrue(answer.text().contains("X-Amz-Target") && !answer.text().contains("null"), answer.text());
    }

    @Test
    void nullListAndMapMembersAreSerializationExceptions() throws IOException {
        assertSerializationException("GetQueueAttributes",
                "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[1,null]}");
        assertSerializationException("GetQueueAttributes",
                "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"All\",null]}");
        assertSerializationException("SendMessageBatch", "{\"QueueUrl\":\"" + url + "\",\"Entries\":[null]}");
        assertSerializationException("SendMessage",
                "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\",\"MessageAttributes\":{\"a\":null}}");
    }

    @Test
    void wrongJsonTypesAreRefusedNamingTheParameterNotAJavaType() throws IOException {
        RawHttp.Answer queueName = json("CreateQueue", "{\"QueueName\":5}");
        assertError(queueName, Wire.JSON, 400, "SerializationException", "QueueName: 5");
        assertTrue(queueName.text().contains("QueueName") && queueName.text().contains("must be a string"),
                queueName.text());
        assertSerializationException("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":5}");
        assertSerializationException("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\",\"DelaySeconds\":1.5}");
        assertSerializationException("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\",\"DelaySeconds\":\"5\"}");
        assertSerializationException("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\",\"DelaySeconds\":1e400}");
        assertSerializationException("TagQueue", "{\"QueueUrl\":\"" + url + "\",\"Tags\":{\"team\":7}}");
        assertSerializationException("CreateQueue", "{\"QueueName\":\"typed\",\"tags\":{\"team\":true}}");
        assertSerializationException("ListQueues", "{\"QueueNamePrefix\":{}}");
        assertSerializationException("ListQueues", "{\"MaxResults\":\"10\"}");
        assertSerializationException("ReceiveMessage", "{\"QueueUrl\":\"" + url + "\",\"MaxNumberOfMessages\":true}");
        assertSerializationException("DeleteMessageBatch", "{\"QueueUrl\":\"" + url + "\",\"Entries\":{\"Id\":\"a\"}}");
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty(), "nothing was coerced and sent");
    }

    @Test
    void jsonBodiesThatAreNotUtf8AreRefusedNotReplaced() throws IOException {
        byte[] latin1 = ("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
        assertError(json("SendMessage", latin1), Wire.JSON, 400, "SerializationException", "Latin-1 body");
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty(), "nothing was stored");
    }

    @Test
    void queryValuesThatAreNotUtf8AreRefusedNotReplaced() throws IOException {
        assertError(form("Action=SendMessage&QueueUrl=" + url + "&MessageBody=caf%C3%28"), Wire.XML, 400,
                "InvalidParameterValue", "bad UTF-8 escape");
        byte[] raw = ("Action=SendMessage&QueueUrl=" + url + "&MessageBody=caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        assertError(form(raw), Wire.XML, 400, "InvalidParameterValue", "raw Latin-1 body");
        assertError(http.send("GET", "/?Action=SendMessage&QueueUrl=" + url + "&MessageBody=%FF", List.of(), new byte[0]),
                Wire.XML, 400, "InvalidParameterValue", "bad UTF-8 escape in the URL");
        // Raw octets in the request target (RawHttp sends each char as one octet).
        assertError(http.send("GET", "/?Action=SendMessage&QueueUrl=" + url + "&MessageBody=caf\u00ff", List.of(),
                new byte[0]), Wire.XML, 400, "InvalidParameterValue", "raw 0xFF in the URL");
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty(), "nothing was stored");
    }

    @Test
    void rawUtf8OctetsInAQueryUrlAreReadAsUtf8NotAsLatin1() throws IOException {
        String queue = sqs.createQueue(b -> b.queueName("hostile-raw-url")).queueUrl();
        RawHttp.Answer answer = http.send("GET", "/?Action=SendMessage&QueueUrl=" + queue + "&MessageBody=caf\u00c3\u00a9",
                List.of(), new byte[0]);
        assertEquals(200, answer.status(), answer.text());
        assertEquals("caf\u00e9", sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages().get(0).body());
    }

    @Test
    void xmlIllegalCharactersInEchoedActionAndDataTypeNeverReachTheXml() throws IOException {
        RawHttp.Answer action = form("Action=Send%00Message%01&QueueUrl=" + url);
        assertError(action, Wire.XML, 400, "InvalidAction", "NUL in Action");
        assertFalse(action.text().contains("\u0000"), action.text());
        RawHttp.Answer dataType = form("Action=SendMessage&QueueUrl=" + url + "&MessageBody=x"
                + "&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String%00%1B"
                + "&MessageAttribute.1.Value.StringValue=v");
        assertError(dataType, Wire.XML, 400, "InvalidParameterValue", "NUL in DataType");
        RawHttp.Answer name = form("Action=SetQueueAttributes&QueueUrl=" + url
                + "&Attribute.1.Name=Delay%00&Attribute.1.Value=1");
        assertError(name, Wire.XML, 400, "InvalidAttributeName", "NUL in an attribute name");
    }

    @Test
    void charactersOutsideSqssSetAreInvalidMessageContentsInBothProtocols() throws IOException {
        assertError(json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"a\\u0000b\"}"), Wire.JSON, 400,
                "InvalidMessageContents", "JSON NUL body");
        assertError(json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"a\\ud800b\"}"), Wire.JSON, 400,
                "InvalidMessageContents", "JSON lone surrogate body");
        assertError(json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"ok\",\"MessageAttributes\":"
                + "{\"a\":{\"DataType\":\"String\",\"StringValue\":\"\\u0001\"}}}"), Wire.JSON, 400,
                "InvalidMessageContents", "JSON control character in an attribute value");
        assertError(form("Action=SendMessage&QueueUrl=" + url + "&MessageBody=a%00b"), Wire.XML, 400,
                "InvalidMessageContents", "Query NUL body");
        assertError(form("Action=SendMessage&QueueUrl=" + url + "&MessageBody=a%EF%BF%BEb"), Wire.XML, 400,
                "InvalidMessageContents", "Query U+FFFE body");
        assertError(form("Action=SendMessage&QueueUrl=" + url + "&MessageBody=ok&MessageAttribute.1.Name=a"
                + "&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=%1F"), Wire.XML, 400,
                "InvalidMessageContents", "Query control character in an attribute value");
        RawHttp.Answer batch = form("Action=SendMessageBatch&QueueUrl=" + url
                + "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=%00");
        assertEquals(200, batch.status(), batch.text());
        dev.sluice.broker.hostile.AnswerChecks.assertSafe(batch, Wire.XML, "batch entry with NUL");
        assertTrue(batch.text().contains("<Code>InvalidMessageContents</Code>"), batch.text());
    }

    @Test
    void theAwsSdksSeeTheRefusalsOfIllegalCharactersAsTheirErrors() {
        SqsTestServer.assertError(sqs, "InvalidMessageContents", c -> c.sendMessage(b -> b.queueUrl(url)
                .messageBody("ok").messageAttributes(Map.of("a", MessageAttributeValue.builder().dataType("String")
                        .stringValue("\u0000").build()))));
        SqsTestServer.assertError(sqs, "InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url)
                .messageBody("ok").messageAttributes(Map.of("a", MessageAttributeValue.builder().dataType("Binary\u0000")
                        .binaryValue(SdkBytes.fromUtf8String("v")).build()))));
        SqsTestServer.assertError(sqs, "InvalidParameterValue", c -> c.tagQueue(b -> b.queueUrl(url)
                .tags(Map.of("team", "a\u0000b"))));
        SqsTestServer.assertError(sqs, "InvalidAttributeValue", c -> c.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.POLICY, "{\"Version\":\"2012-10-17\u0000\"}"))));
        // SDK v1 parses the XML answer: a NUL echoed into it would fail there, not in our assertion.
        AmazonSQSException dataType = assertThrows(AmazonSQSException.class, () -> query.sendMessage(
                new com.amazonaws.services.sqs.model.SendMessageRequest(url, "ok").addMessageAttributesEntry("a",
                        new com.amazonaws.services.sqs.model.MessageAttributeValue().withDataType("String\u0000")
                                .withStringValue("v"))));
        assertEquals("InvalidParameterValue", dataType.getErrorCode());
        assertEquals(400, dataType.getStatusCode());
        AmazonSQSException body = assertThrows(AmazonSQSException.class, () -> query.sendMessage(url, "bell\u0007"));
        assertEquals("InvalidMessageContents", body.getErrorCode());
        String other = sqs.createQueue(b -> b.queueName("hostile-batch")).queueUrl();
        SendMessageBatchResponse batch = sqs.sendMessageBatch(b -> b.queueUrl(other).entries(
                e -> e.id("bad").messageBody("\u0000"), e -> e.id("good").messageBody("fine")));
        assertEquals("InvalidMessageContents", batch.failed().get(0).code());
        assertEquals("fine", sqs.receiveMessage(b -> b.queueUrl(other).waitTimeSeconds(1)).messages().get(0).body());
    }
}
