package dev.sluice.broker.api.sqs;

import dev.sluice.clientsdk.model.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The golden cases, one per action: the action's wire name (naming the files under
 * src/test/resources/golden), the record its request files must decode to, and the response record
 * that must encode to its response files. Values carry what breaks codecs: {@code + / =} in tokens
 * and receipt handles, JSON inside attribute values, quotes and apostrophes in messages, longs over
 * 2^31.
 */
final class GoldenWireCases {

    static final String QUEUE = "http://localhost:9324/000000000000/alerts";
    static final String DEAD_LETTER_QUEUE = "http://localhost:9324/000000000000/alerts-dlq";
    private static final String SOURCE_ARN = "arn:aws:sqs:us-east-1:000000000000:alerts-dlq";
    private static final String DESTINATION_ARN = "arn:aws:sqs:us-east-1:000000000000:alerts";
    private static final String TASK_HANDLE = "eyJ0YXNrSWQiOiJ0LTEifQ==";
    private static final String RECEIPT_HANDLE = "rh+a/1==";
    private static final String MD5_OF_BODY = "0123456789abcdef0123456789abcdef";
    private static final String MD5_OF_ATTRIBUTES = "fedcba9876543210fedcba9876543210";

    private GoldenWireCases() {
    }

    static Stream<Arguments> all() {
        return Stream.of(queueActions(), tagActions(), messageActions(), moveTaskActions()).flatMap(cases -> cases);
    }

    static Map<String, String> tags() {
        return ordered("team", "ops", "cost-center", "4 2");
    }

    private static Stream<Arguments> queueActions() {
        return Stream.of(
                Arguments.of("CreateQueue",
                        new CreateQueueRequest("alerts.fifo", ordered("FifoQueue", "true", "VisibilityTimeout", "60"),
                                Map.of("team", "ops")),
                        new CreateQueueResponse("http://localhost:9324/000000000000/alerts.fifo")),
                Arguments.of("GetQueueUrl", new GetQueueUrlRequest("alerts", "000000000000"),
                        new GetQueueUrlResponse(QUEUE)),
                Arguments.of("ListQueues", new ListQueuesRequest("al", "YWxlcnRz+/==", 2),
                        new ListQueuesResponse(List.of(QUEUE, DEAD_LETTER_QUEUE), "YWxlcnRzLWRscQ==")),
                Arguments.of("GetQueueAttributes", new GetQueueAttributesRequest(QUEUE, List.of("All")),
                        new GetQueueAttributesResponse(ordered("VisibilityTimeout", "30", "DelaySeconds", "0"))),
                Arguments.of("SetQueueAttributes",
                        new SetQueueAttributesRequest(QUEUE, ordered("VisibilityTimeout", "45", "RedrivePolicy",
                                "{\"deadLetterTargetArn\":\"" + SOURCE_ARN + "\",\"maxReceiveCount\":\"5\"}")),
                        new SetQueueAttributesResponse()),
                Arguments.of("PurgeQueue", new PurgeQueueRequest(QUEUE), new PurgeQueueResponse()),
                Arguments.of("DeleteQueue", new DeleteQueueRequest(QUEUE), new DeleteQueueResponse()),
                Arguments.of("ListDeadLetterSourceQueues",
                        new ListDeadLetterSourceQueuesRequest(DEAD_LETTER_QUEUE, "YWxlcnRz+/==", 10),
                        new ListDeadLetterSourceQueuesResponse(List.of(QUEUE), "YWxlcnRzLWRscQ==")));
    }

    private static Stream<Arguments> tagActions() {
        return Stream.of(
                Arguments.of("TagQueue", new TagQueueRequest(QUEUE, tags()), new TagQueueResponse()),
                Arguments.of("UntagQueue", new UntagQueueRequest(QUEUE, List.of("team", "cost-center")),
                        new UntagQueueResponse()),
                Arguments.of("ListQueueTags", new ListQueueTagsRequest(QUEUE), new ListQueueTagsResponse(tags())));
    }

    private static Stream<Arguments> messageActions() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("severity", MessageAttributeValue.ofString("String", "critical"));
        attributes.put("blob", MessageAttributeValue.ofBinary("Binary", new byte[] {1, 2, 3}));
        return Stream.of(
                Arguments.of("SendMessage",
                        new SendMessageRequest(QUEUE, "disk full & hot", 5, attributes,
                                Map.of("AWSTraceHeader", MessageAttributeValue.ofString("String", "Root=1-abc")), "d1", "g1"),
                        new SendMessageResponse(MD5_OF_BODY, MD5_OF_ATTRIBUTES, null, "m-1", "18849496460467696128")),
                Arguments.of("SendMessageBatch",
                        new SendMessageBatchRequest(QUEUE, List.of(
                                new SendMessageBatchRequestEntry("a", "one", null, null, null, null, null),
                                new SendMessageBatchRequestEntry("b", "two", 10,
                                        Map.of("k", MessageAttributeValue.ofString("Number", "7")), null, null, null))),
                        new SendMessageBatchResponse(
                                List.of(new SendMessageBatchResultEntry("a", "m-a", MD5_OF_BODY, null, null, null)),
                                List.of(new BatchResultErrorEntry("b", false, "InternalError", "try again")))),
                Arguments.of("ReceiveMessage",
                        new ReceiveMessageRequest(QUEUE, List.of("SentTimestamp"), List.of("ApproximateReceiveCount"),
                                List.of("All"), 10, 30, 20, "attempt-1"),
                        new ReceiveMessageResponse(List.of(new Message("m-1", "rh-1", MD5_OF_BODY, "a <b> & c",
                                Map.of("SentTimestamp", "1700000000000"), MD5_OF_ATTRIBUTES, attributes)))),
                Arguments.of("DeleteMessage",
                        new DeleteMessageRequest(QUEUE, "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3/STF=="),
                        new DeleteMessageResponse()),
                Arguments.of("DeleteMessageBatch",
                        new DeleteMessageBatchRequest(QUEUE, List.of(
                                new DeleteMessageBatchRequestEntry("a", RECEIPT_HANDLE),
                                new DeleteMessageBatchRequestEntry("b", "rh-b"))),
                        new DeleteMessageBatchResponse(List.of(new DeleteMessageBatchResultEntry("a")),
                                List.of(new BatchResultErrorEntry("b", true, "ReceiptHandleIsInvalid",
                                        "The input receipt handle \"rh-b\" is not a valid receipt handle.")))),
                Arguments.of("ChangeMessageVisibility",
                        new ChangeMessageVisibilityRequest(QUEUE, RECEIPT_HANDLE, 60),
                        new ChangeMessageVisibilityResponse()),
                Arguments.of("ChangeMessageVisibilityBatch",
                        new ChangeMessageVisibilityBatchRequest(QUEUE, List.of(
                                new ChangeMessageVisibilityBatchRequestEntry("a", RECEIPT_HANDLE, 30),
                                new ChangeMessageVisibilityBatchRequestEntry("b", "rh-b", 0))),
                        new ChangeMessageVisibilityBatchResponse(
                                List.of(new ChangeMessageVisibilityBatchResultEntry("a")),
                                List.of(new BatchResultErrorEntry("b", true, "AWS.SimpleQueueService.MessageNotInflight",
                                        "The specified message isn't in flight.")))));
    }

    private static Stream<Arguments> moveTaskActions() {
        return Stream.of(
                Arguments.of("StartMessageMoveTask",
                        new StartMessageMoveTaskRequest(SOURCE_ARN, DESTINATION_ARN, 50),
                        new StartMessageMoveTaskResponse(TASK_HANDLE)),
                Arguments.of("ListMessageMoveTasks", new ListMessageMoveTasksRequest(SOURCE_ARN, 10),
                        new ListMessageMoveTasksResponse(List.of(
                                new ListMessageMoveTasksResultEntry(TASK_HANDLE, "RUNNING", SOURCE_ARN, DESTINATION_ARN,
                                        50, 3L, 4_294_967_296L, null, 1_700_000_000_000L),
                                new ListMessageMoveTasksResultEntry(null, "FAILED", SOURCE_ARN, null, null, 0L, null,
                                        "AccessDenied", 1_690_000_000_000L)))),
                Arguments.of("CancelMessageMoveTask", new CancelMessageMoveTaskRequest(TASK_HANDLE),
                        new CancelMessageMoveTaskResponse(42L)));
    }

    /** A map in the given key order, as the golden files list the entries. */
    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
