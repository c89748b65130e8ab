package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonProtocolCodecTest {

    /** What a client must never read in an error: Java types, packages, parser tokens. */
    private static final Pattern INTERNALS = Pattern.compile(
            "java\\.|dev\\.sluice|com\\.fasterxml|Exception\\b|JsonToken|START_|END_|VALUE_|`");

    private final JsonProtocolCodec codec = new JsonProtocolCodec();

    private SqsException refused(SqsAction action, String body) {
        return refused(action, body.getBytes(StandardCharsets.UTF_8));
    }

    private SqsException refused(SqsAction action, byte[] body) {
        SqsException refused = assertThrows(SqsException.class, () -> codec.decode(action, body));
        assertEquals(SqsError.SERIALIZATION_EXCEPTION, refused.error(), refused.getMessage());
        assertFalse(INTERNALS.matcher(refused.getMessage()).find(), refused.getMessage());
        return refused;
    }

    @Test
    void aNullBodyIsRefusedForEveryAction() {
        for (SqsAction action : SqsAction.values()) {
            assertEquals("The request body must be a JSON object, not null.", refused(action, "null").getMessage());
        }
    }

    @Test
    void nullElementsOfListsAndMapsAreRefusedByPath() {
        assertTrue(refused(SqsAction.GET_QUEUE_ATTRIBUTES, "{\"QueueUrl\":\"u\",\"AttributeNames\":[\"All\",null]}")
                .getMessage().contains("AttributeNames[1] is invalid. Reason: must not be null."));
        assertTrue(refused(SqsAction.SEND_MESSAGE_BATCH, "{\"QueueUrl\":\"u\",\"Entries\":[null]}")
                .getMessage().contains("Entries[0]"));
        assertTrue(refused(SqsAction.SEND_MESSAGE, "{\"MessageAttributes\":{\"a\":null}}")
                .getMessage().contains("MessageAttributes.a"));
    }

    @Test
    void membersOfTheWrongJsonTypeAreRefusedNotCoerced() {
        assertEquals("Value for parameter QueueName is invalid. Reason: must be a string, not an integer.",
                refused(SqsAction.CREATE_QUEUE, "{\"QueueName\":5}").getMessage());
        assertTrue(refused(SqsAction.SEND_MESSAGE, "{\"MessageBody\":5}").getMessage().contains("MessageBody"));
        assertEquals("Value for parameter DelaySeconds is invalid. Reason: must be an integer, not a decimal number.",
                refused(SqsAction.SEND_MESSAGE, "{\"DelaySeconds\":1.5}").getMessage());
        assertTrue(refused(SqsAction.SEND_MESSAGE, "{\"DelaySeconds\":\"5\"}").getMessage().contains("not a string"));
        assertTrue(refused(SqsAction.TAG_QUEUE, "{\"Tags\":{\"team\":7}}").getMessage().contains("Tags.team"));
        assertTrue(refused(SqsAction.CREATE_QUEUE, "{\"QueueName\":true}").getMessage().contains("not a boolean"));
        assertTrue(refused(SqsAction.LIST_QUEUES, "{\"QueueNamePrefix\":{}}").getMessage().contains("QueueNamePrefix"));
        assertTrue(refused(SqsAction.GET_QUEUE_ATTRIBUTES, "{\"AttributeNames\":[1,null]}")
                .getMessage().contains("AttributeNames[0]"));
        assertTrue(refused(SqsAction.SEND_MESSAGE_BATCH, "{\"Entries\":{\"Id\":\"a\"}}").getMessage()
                .contains("must be a list"));
        assertEquals("Value for parameter MessageAttributes.a.BinaryValue is invalid. Reason: must be base64-encoded.",
                refused(SqsAction.SEND_MESSAGE, "{\"MessageAttributes\":{\"a\":{\"DataType\":\"Binary\","
                        + "\"BinaryValue\":\"***\"}}}").getMessage());
    }

    @Test
    void aDeepMisfitIsNamedByItsFullPathAndTheFirstMisfitInMemberOrderWins() {
        String body = "{\"QueueUrl\":\"u\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"b\"},"
                + "{\"Id\":\"c\",\"MessageBody\":\"d\",\"MessageAttributes\":{\"colour\":{\"DataType\":7}}}]}";
        assertEquals("Value for parameter Entries[1].MessageAttributes.colour.DataType is invalid. Reason: must be a "
                + "string, not an integer.", refused(SqsAction.SEND_MESSAGE_BATCH, body).getMessage());
        String longKey = "k".repeat(100);
        assertEquals("Value for parameter Tags." + "k".repeat(64) + "... is invalid. Reason: must be a string, not a boolean.",
                refused(SqsAction.TAG_QUEUE, "{\"QueueUrl\":\"u\",\"Tags\":{\"" + longKey + "\":true}}").getMessage());
        // Both QueueUrl and Entries are wrong: the record's first component is named, on every JVM alike.
        assertTrue(refused(SqsAction.SEND_MESSAGE_BATCH, "{\"QueueUrl\":1,\"Entries\":2}").getMessage()
                .startsWith("Value for parameter QueueUrl "));
    }

    @Test
    void numbersBeyondAnIntegerAreRefused() {
        refused(SqsAction.SEND_MESSAGE, "{\"DelaySeconds\":1e400}");
        refused(SqsAction.SEND_MESSAGE, "{\"DelaySeconds\":99999999999999999999999}");
        assertTrue(refused(SqsAction.SEND_MESSAGE, "{\"DelaySeconds\":2147483648}").getMessage()
                .contains("between -2147483648 and 2147483647"));
    }

    @Test
    void malformedJsonDuplicateMembersAndInvalidUtf8AreRefusedWithoutParserWording() {
        refused(SqsAction.LIST_QUEUES, "{\"QueueNamePrefix\":");
        refused(SqsAction.LIST_QUEUES, "{} {}");
        refused(SqsAction.LIST_QUEUES, "[]");
        refused(SqsAction.CREATE_QUEUE, "{\"QueueName\":\"a\",\"QueueName\":\"b\"}");
        refused(SqsAction.CREATE_QUEUE, "[".repeat(5000));
        byte[] latin1 = "{\"QueueName\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("The request body is not valid UTF-8.", refused(SqsAction.CREATE_QUEUE, latin1).getMessage());
    }

    @Test
    void wellTypedBodiesDecodeAndNullMembersCountAsAbsent() {
        SendMessageRequest send = (SendMessageRequest) codec.decode(SqsAction.SEND_MESSAGE,
                "{\"QueueUrl\":\"u\",\"MessageBody\":\"hi\",\"DelaySeconds\":3,\"MessageGroupId\":null,\"Extra\":[1]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(new SendMessageRequest("u", "hi", 3, null, null, null, null), send);
        assertEquals(new GetQueueAttributesRequest("u", List.of()), codec.decode(SqsAction.GET_QUEUE_ATTRIBUTES,
                "{\"QueueUrl\":\"u\",\"AttributeNames\":null}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new SendMessageBatchRequest(null, List.of()), codec.decode(SqsAction.SEND_MESSAGE_BATCH, new byte[0]));
    }

    // Generated bodies: whatever JSON arrives, decoding either yields a record or a SerializationException
    // whose message names no internal; never another exception.

    @Property(tries = 200)
    void anyJsonBodyDecodesOrIsRefusedAsSerializationException(@ForAll("actions") SqsAction action,
            @ForAll("bodies") String body) {
        try {
            codec.decode(action, body.getBytes(StandardCharsets.UTF_8));
        } catch (SqsException e) {
            assertEquals(SqsError.SERIALIZATION_EXCEPTION, e.error(), body);
            assertFalse(INTERNALS.matcher(e.getMessage()).find(), e.getMessage());
        }
    }

    @Provide
    Arbitrary<SqsAction> actions() {
        return Arbitraries.of(SqsAction.class);
    }

    @Provide
    Arbitrary<String> bodies() {
        return JsonBodies.objects();
    }

    /**
     * The attack: a tenant's SendMessageBatch names another account as the payer of SNS deliveries (the in-process
     * field the fanout sets). No protocol carries it: the request never decodes with it set.
     */
    @Test
    void aTenantCannotNameWhomItsSendBillsDeliveriesTo() {
        for (String field : List.of("deliveriesBilledTo", "DeliveriesBilledTo")) {
            String body = "{\"QueueUrl\":\"http://localhost/000000000000/q\",\"Entries\":[{\"Id\":\"1\","
                    + "\"MessageBody\":\"x\"}],\"" + field + "\":\"111111111111\"}";
            Object decoded;
            try {
                decoded = codec.decode(SqsAction.SEND_MESSAGE_BATCH, body.getBytes(StandardCharsets.UTF_8));
            } catch (SqsException refusedOutright) {
                assertEquals(SqsError.SERIALIZATION_EXCEPTION, refusedOutright.error());
                continue;
            }
            assertEquals(null, ((SendMessageBatchRequest) decoded).deliveriesBilledTo(), field);
        }
    }

    /** The same attack on a DeleteMessageBatch: naming whom the delete bills a function invocation to. */
    @Test
    void aTenantCannotBillAnInvocationWithItsDelete() {
        for (String field : List.of("invocationBill", "InvocationBill")) {
            String body = "{\"QueueUrl\":\"http://localhost/000000000000/q\",\"Entries\":[{\"Id\":\"1\","
                    + "\"ReceiptHandle\":\"h\"}],\"" + field + "\":{\"functionOwner\":\"111111111111\","
                    + "\"durationMillis\":99999}}";
            Object decoded = codec.decode(SqsAction.DELETE_MESSAGE_BATCH, body.getBytes(StandardCharsets.UTF_8));
            assertEquals(null, ((dev.sluice.clientsdk.model.DeleteMessageBatchRequest) decoded).invocationBill(), field);
        }
    }
}
