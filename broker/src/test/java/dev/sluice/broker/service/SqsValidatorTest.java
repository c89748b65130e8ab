package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SqsValidatorTest {

    private static final String QUEUE = "http://localhost:9324/000000000000/alerts";
    private static final String FIFO_QUEUE = "http://localhost:9324/000000000000/alerts.fifo";
    private final SqsLimits limits = SqsLimits.defaults();
    private final SqsValidator validator =
            new SqsValidator(limits, new QueueAttributeCodec(limits.queueAttributeBounds()));

    private static void assertError(SqsError expected, Executable executable) {
        assertEquals(expected, assertThrows(SqsException.class, executable).error());
    }

    private static SendMessageRequest send(String body) {
        return new SendMessageRequest(QUEUE, body, null, null, null, null, null);
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return new SendMessageBatchRequestEntry(id, body, null, null, null, null, null);
    }

    @Test
    void queueNamesAreAlphanumericHyphensUnderscoresUpTo80WithAnOptionalFifoSuffix() {
        assertDoesNotThrow(() -> validator.check(new GetQueueUrlRequest("a".repeat(80), null)));
        assertDoesNotThrow(() -> validator.check(new GetQueueUrlRequest("a-b_c.fifo", null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(new GetQueueUrlRequest("a".repeat(81), null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(new GetQueueUrlRequest("a b", null)));
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(new GetQueueUrlRequest(null, null)));
    }

    @Test
    void noCallerNamesAnInternalQueueAsDeadLetterTargetRedriveSourceOrMoveTaskEnd() {
        SqsValidator internal = SqsValidator.forInternalCallers(limits, new QueueAttributeCodec(limits.queueAttributeBounds()));
        String outbox = "arn:aws:sqs:us-east-1:000000000000:Sluice-Internal-topic-1";
        for (SqsValidator callers : List.of(validator, internal)) {
            assertError(SqsError.INVALID_PARAMETER_VALUE, () -> callers.check(new SetQueueAttributesRequest(QUEUE,
                    Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + outbox + "\",\"maxReceiveCount\":2}"))));
            assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> callers.check(new CreateQueueRequest("tenant", Map.of(
                    "RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"" + outbox + "\"]}"),
                    Map.of())));
            assertError(SqsError.RESOURCE_NOT_FOUND, () -> callers.check(new StartMessageMoveTaskRequest(outbox, null, null)));
            assertError(SqsError.RESOURCE_NOT_FOUND, () -> callers.check(new StartMessageMoveTaskRequest(
                    "arn:aws:sqs:us-east-1:000000000000:tenant-dlq", outbox, null)));
            assertError(SqsError.RESOURCE_NOT_FOUND, () -> callers.check(new ListMessageMoveTasksRequest(outbox, null)));
        }
        // The URL check is the tenants' alone: notify reaches its outboxes and delivery queues.
        String outboxUrl = "http://localhost:9324/000000000000/sluice-internal-topic-1";
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, () -> validator.checkReachable(outboxUrl));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, () -> validator.checkReachable(outboxUrl.toUpperCase().replace("HTTP", "http")));
        assertDoesNotThrow(() -> internal.checkReachable(outboxUrl));
        assertDoesNotThrow(() -> validator.checkReachable(QUEUE));
        // Creating one is refused outright, in any letter case: CreateQueue of an existing name answers its URL.
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(new CreateQueueRequest("Sluice-Internal-mine",
                Map.of(), Map.of())));
        assertDoesNotThrow(() -> internal.check(new CreateQueueRequest("sluice-internal-mine", Map.of(), Map.of())));
    }

    @Test
    void aMissingOrUnparsableQueueUrlIsRejected() {
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(new SendMessageRequest(null, "x", null, null, null, null, null)));
        assertError(SqsError.INVALID_ADDRESS, () -> validator.queue("http://localhost/only-one-segment"));
    }

    @Test
    void bodiesWithCharactersOutsideTheAllowedSetAreInvalidMessageContents() {
        assertDoesNotThrow(() -> validator.check(send("tab\t lf\n cr\r é 😀 \uE000 \uFFFD")));
        assertError(SqsError.INVALID_MESSAGE_CONTENTS, () -> validator.check(send("nul\u0000")));
        assertError(SqsError.INVALID_MESSAGE_CONTENTS, () -> validator.check(send("bell\u0007")));
        assertError(SqsError.INVALID_MESSAGE_CONTENTS, () -> validator.check(send("lone\uD800surrogate")));
        assertError(SqsError.INVALID_MESSAGE_CONTENTS, () -> validator.check(send("\uFFFE")));
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(send("")));
    }

    @Test
    void messagesOverTheAbsoluteMaximumSizeAreRejected() {
        assertDoesNotThrow(() -> validator.check(send("x".repeat(limits.maxMaximumMessageSizeBytes()))));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(send("x".repeat(limits.maxMaximumMessageSizeBytes() + 1))));
    }

    @Test
    void delaySecondsRangeFrom0To900() {
        assertDoesNotThrow(() -> validator.check(new SendMessageRequest(QUEUE, "x", 900, null, null, null, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new SendMessageRequest(QUEUE, "x", 901, null, null, null, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new SendMessageRequest(QUEUE, "x", -1, null, null, null, null)));
    }

    @Test
    void messageAttributesAreLimitedInCountNameTypeAndValue() {
        Map<String, MessageAttributeValue> eleven = new java.util.HashMap<>();
        IntStream.range(0, 11).forEach(i -> eleven.put("a" + i, MessageAttributeValue.ofString("String", "v")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(eleven)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(
                Map.of("AWS.reserved", MessageAttributeValue.ofString("String", "v")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(
                Map.of("a..b", MessageAttributeValue.ofString("String", "v")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(
                Map.of("n", MessageAttributeValue.ofString("Integer", "1")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(
                Map.of("n", MessageAttributeValue.ofString("Number", "one")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withAttributes(
                Map.of("b", MessageAttributeValue.ofString("Binary", "not bytes")))));
        assertDoesNotThrow(() -> validator.check(withAttributes(Map.of(
                "n", MessageAttributeValue.ofString("Number.float", "-1.5e10"),
                "b", MessageAttributeValue.ofBinary("Binary.gzip", new byte[] {1})))));
    }

    @Test
    void fifoIdsAreUpTo128AlphanumericOrPunctuationCharacters() {
        assertDoesNotThrow(() -> validator.check(new SendMessageRequest(FIFO_QUEUE, "x", null, null, null,
                "d".repeat(128), "g!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(
                new SendMessageRequest(FIFO_QUEUE, "x", null, null, null, "d".repeat(129), "g")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(
                new SendMessageRequest(FIFO_QUEUE, "x", null, null, null, null, "with space")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(
                new SendMessageRequest(FIFO_QUEUE, "x", null, null, null, null, "g".repeat(129))));
    }

    @Test
    void fifoMessagesNeedAGroupAndTakeNoDelayOfTheirOwn() {
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(
                new SendMessageRequest(FIFO_QUEUE, "x", null, null, null, "d", null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(
                new SendMessageRequest(FIFO_QUEUE, "x", 5, null, null, "d", "g")));
        assertDoesNotThrow(() -> validator.check(new SendMessageRequest(FIFO_QUEUE, "x", 0, null, null, "d", "g")));
        BatchCheck<SendMessageBatchRequestEntry> batch = validator.check(new SendMessageBatchRequest(FIFO_QUEUE, List.of(
                new SendMessageBatchRequestEntry("ok", "x", null, null, null, "d", "g"),
                new SendMessageBatchRequestEntry("nogroup", "x", null, null, null, "d", null))));
        assertEquals(List.of("ok"), batch.accepted().stream().map(SendMessageBatchRequestEntry::id).toList());
        assertEquals("MissingParameter", batch.failed().get(0).code());
    }

    @Test
    void standardMessagesTakeAGroupButNoDeduplicationId() {
        assertDoesNotThrow(() -> validator.check(new SendMessageRequest(QUEUE, "x", 5, null, null, null, "tenant-1")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(
                new SendMessageRequest(QUEUE, "x", null, null, null, "d", null)));
    }

    @Test
    void batchShapeErrorsFailTheWholeRequest() {
        assertError(SqsError.EMPTY_BATCH_REQUEST, () -> validator.check(new SendMessageBatchRequest(QUEUE, List.of())));
        List<SendMessageBatchRequestEntry> eleven = new ArrayList<>();
        IntStream.range(0, 11).forEach(i -> eleven.add(entry("e" + i, "x")));
        assertError(SqsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                () -> validator.check(new SendMessageBatchRequest(QUEUE, eleven)));
        assertError(SqsError.INVALID_BATCH_ENTRY_ID,
                () -> validator.check(new SendMessageBatchRequest(QUEUE, List.of(entry("bad id", "x")))));
        assertError(SqsError.INVALID_BATCH_ENTRY_ID,
                () -> validator.check(new SendMessageBatchRequest(QUEUE, List.of(entry("i".repeat(81), "x")))));
        assertError(SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT,
                () -> validator.check(new SendMessageBatchRequest(QUEUE, List.of(entry("a", "x"), entry("a", "y")))));
        String half = "x".repeat(limits.maxBatchPayloadBytes() / 2);
        assertError(SqsError.BATCH_REQUEST_TOO_LONG, () -> validator.check(
                new SendMessageBatchRequest(QUEUE, List.of(entry("a", half), entry("b", half), entry("c", "x")))));
    }

    @Test
    void invalidEntriesOfAValidBatchFailOneByOne() {
        BatchCheck<SendMessageBatchRequestEntry> checked = validator.check(new SendMessageBatchRequest(QUEUE,
                List.of(entry("ok", "fine"), entry("nul", "\u0000"))));
        assertEquals(List.of("ok"), checked.accepted().stream().map(SendMessageBatchRequestEntry::id).toList());
        assertEquals(List.of(new BatchResultErrorEntry("nul", true, "InvalidMessageContents",
                "Invalid characters found in the message body.")), checked.failed());
        BatchCheck<ChangeMessageVisibilityBatchRequestEntry> visibility = validator.check(
                new ChangeMessageVisibilityBatchRequest(QUEUE, List.of(
                        new ChangeMessageVisibilityBatchRequestEntry("a", "rh", 43_201))));
        assertEquals("InvalidParameterValue", visibility.failed().get(0).code());
    }

    @Test
    void receiveParametersHaveSqsRanges() {
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(receive(0, null, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(receive(11, null, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(receive(null, 43_201, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(receive(null, null, 21)));
        assertDoesNotThrow(() -> validator.check(receive(10, 43_200, 20)));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> validator.check(new ReceiveMessageRequest(QUEUE, null,
                List.of("NotAnAttribute"), null, null, null, null, null)));
    }

    @Test
    void changeVisibilityNeedsAReceiptHandleAndATimeoutUpTo12Hours() {
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(new ChangeMessageVisibilityRequest(QUEUE, null, 1)));
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(new ChangeMessageVisibilityRequest(QUEUE, "rh", null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new ChangeMessageVisibilityRequest(QUEUE, "rh", 43_201)));
    }

    @Test
    void listsAreBoundedAndTagsChecked() {
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(new ListQueuesRequest(null, null, 1001)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(new ListMessageMoveTasksRequest("arn", 11)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new TagQueueRequest(QUEUE, Map.of("k".repeat(129), "v"))));
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(new UntagQueueRequest(QUEUE, List.of())));
    }

    @Test
    void tagKeysAreUpTo128AllowedCharactersOutsideTheAwsPrefixAndValuesUpTo256() {
        assertDoesNotThrow(() -> validator.check(tag(Map.of("k".repeat(128), "v".repeat(256)))));
        assertDoesNotThrow(() -> validator.check(tag(Map.of("Team name_1.a:b/c=d+e-f@g é", ""))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(Map.of("k".repeat(129), "v"))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(Map.of("k", "v".repeat(257)))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(Map.of("", "v"))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(Map.of("a*b", "v"))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(Map.of("aws:created", "v"))));
        assertError(SqsError.MISSING_PARAMETER, () -> validator.check(tag(Map.of())));
    }

    @Test
    void aQueueTakesAtMost50TagsOnCreateAndOnTag() {
        assertDoesNotThrow(() -> validator.check(tag(tags(50))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(tag(tags(51))));
        assertDoesNotThrow(() -> validator.check(new CreateQueueRequest("alerts", null, tags(50))));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new CreateQueueRequest("alerts", null, tags(51))));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                () -> validator.check(new CreateQueueRequest("alerts", null, Map.of("k", "v".repeat(257)))));
    }

    @Test
    void kmsDataKeyReusePeriodRangesFrom60SecondsTo24Hours() {
        for (String valid : List.of("60", "300", "86400")) {
            assertDoesNotThrow(() -> validator.check(kmsReusePeriod(valid)), valid);
            assertDoesNotThrow(() -> validator.check(new CreateQueueRequest("alerts",
                    Map.of("KmsDataKeyReusePeriodSeconds", valid), null)), valid);
        }
        for (String invalid : List.of("59", "86401", "-60", "1.5", "")) {
            assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> validator.check(kmsReusePeriod(invalid)));
            assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> validator.check(new CreateQueueRequest("alerts",
                    Map.of("KmsDataKeyReusePeriodSeconds", invalid), null)));
        }
    }

    @Test
    void receiveRequestAttemptIdsAreUpTo128AlphanumericOrPunctuationCharacters() {
        assertDoesNotThrow(() -> validator.check(attempt("a".repeat(128))));
        assertDoesNotThrow(() -> validator.check(attempt("A-z_0.9!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(attempt("a".repeat(129))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(attempt("with space")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(attempt("é")));
    }

    @Test
    void theOnlyMessageSystemAttributeIsAStringTypedAwsTraceHeader() {
        assertDoesNotThrow(() -> validator.check(withSystemAttributes(Map.of("AWSTraceHeader",
                MessageAttributeValue.ofString("String", "Root=1-5759e988-bd862e3fe1be46a994272793")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withSystemAttributes(Map.of(
                "SenderId", MessageAttributeValue.ofString("String", "me")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withSystemAttributes(Map.of(
                "AWSTraceHeader", MessageAttributeValue.ofString("Number", "1")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withSystemAttributes(Map.of(
                "AWSTraceHeader", MessageAttributeValue.ofString("String.custom", "Root=1")))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withSystemAttributes(Map.of(
                "AWSTraceHeader", MessageAttributeValue.ofBinary("Binary", new byte[] {1})))));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> validator.check(withSystemAttributes(Map.of(
                "AWSTraceHeader", MessageAttributeValue.ofString("String", "")))));
    }

    @Test
    void aBatchEntryWithABadSystemAttributeFailsAloneWithInvalidParameterValue() {
        BatchCheck<SendMessageBatchRequestEntry> checked = validator.check(new SendMessageBatchRequest(QUEUE, List.of(
                entry("ok", "fine"),
                new SendMessageBatchRequestEntry("bad", "x", null, null,
                        Map.of("SenderId", MessageAttributeValue.ofString("String", "me")), null, null))));
        assertEquals(1, checked.accepted().size());
        assertEquals("InvalidParameterValue", checked.failed().get(0).code());
        assertEquals("bad", checked.failed().get(0).id());
    }

    private static TagQueueRequest tag(Map<String, String> tags) {
        return new TagQueueRequest(QUEUE, tags);
    }

    private static Map<String, String> tags(int count) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> tags.put("key-" + i, "value"));
        return tags;
    }

    private static SetQueueAttributesRequest kmsReusePeriod(String seconds) {
        return new SetQueueAttributesRequest(QUEUE, Map.of("KmsDataKeyReusePeriodSeconds", seconds));
    }

    private static ReceiveMessageRequest attempt(String receiveRequestAttemptId) {
        return new ReceiveMessageRequest(QUEUE, null, null, null, null, null, null, receiveRequestAttemptId);
    }

    private static SendMessageRequest withSystemAttributes(Map<String, MessageAttributeValue> attributes) {
        return new SendMessageRequest(QUEUE, "x", null, null, attributes, null, null);
    }

    private static SendMessageRequest withAttributes(Map<String, MessageAttributeValue> attributes) {
        return new SendMessageRequest(QUEUE, "x", null, attributes, null, null, null);
    }

    private static ReceiveMessageRequest receive(Integer max, Integer visibility, Integer wait) {
        return new ReceiveMessageRequest(QUEUE, null, null, null, max, visibility, wait, null);
    }

    @Test
    void batchEntryIdsAreExactlyTheLettersDigitsUnderscoresAndHyphensOfTheOldExpression() {
        java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");
        java.util.Random random = new java.util.Random(41);
        String alphabet = "azAZ09_-.~ \u00e9/:@\u0100";
        for (int run = 0; run < 5_000; run++) {
            StringBuilder id = new StringBuilder();
            for (int length = random.nextInt(8); id.length() < length; ) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(rule.matcher(id).matches(), SqsValidator.isBatchEntryIdText(id.toString()), id.toString());
        }
    }
}
