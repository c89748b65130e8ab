package dev.sluice.broker.service;

import static dev.sluice.broker.service.MessageChecks.missing;

import dev.sluice.broker.core.MoveTasks;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueAttributeName;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one place that validates SQS requests as far as no queue state is needed: names, counts,
 * ranges, characters, batch ids and the absolute size bound. Failures are {@link SqsException}s with
 * SQS's codes; batch entries that fail on their own are returned in a {@link BatchCheck}, as SQS
 * reports them per entry, while batch-level problems (empty, too many, ids, total size) fail the
 * whole request. Internal queues ({@link ReservedQueueNames}) are never a dead-letter queue, a redrive
 * source or a move task's end, for any caller; for tenants they do not exist at all ({@link #checkReachable}).
 * Stateless and thread-safe.
 */
public final class SqsValidator {
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");


    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.fifo)?");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    private static final Set<String> MESSAGE_SYSTEM_ATTRIBUTES = Set.of("All", "SenderId", "SentTimestamp",
            "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId",
            "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn");

    private final SqsLimits limits;
    private final MessageChecks messages;
    private final QueueAttributeCodec attributes;
    private final boolean refusesReservedNames;

    /** The tenants' edge: queues under {@link ReservedQueueNames#PREFIX} do not exist for these callers. */
    public SqsValidator(SqsLimits limits, QueueAttributeCodec attributes) {
        this(limits, attributes, true);
    }

    private SqsValidator(SqsLimits limits, QueueAttributeCodec attributes, boolean refusesReservedNames) {
        this.limits = limits;
        this.messages = new MessageChecks(limits);
        this.attributes = attributes;
        this.refusesReservedNames = refusesReservedNames;
    }

    /** Sluice's own callers (notify, faas-bridge in-process): the same checks, reserved queue names allowed. */
    public static SqsValidator forInternalCallers(SqsLimits limits, QueueAttributeCodec attributes) {
        return new SqsValidator(limits, attributes, false);
    }

    /** True when queues with reserved names are hidden from this validator's callers (lists filter them out). */
    public boolean refusesReservedNames() {
        return refusesReservedNames;
    }

    public void check(CreateQueueRequest request) {
        checkQueueName(request.queueName());
        if (refusesReservedNames && ReservedQueueNames.isReserved(request.queueName())) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Queue names starting with " + ReservedQueueNames.PREFIX
                    + " are reserved for Sluice's internal queues.");
        }
        checkAttributeText(request.attributes());
        attributes.forCreate(request.queueName(), request.attributes());
        checkAccessPolicy(request.attributes());
        checkRedriveNeighbours(request.attributes());
        checkTags(request.tags());
    }

    /**
     * A queue Policy must be one the policy evaluator reads faithfully, else it is refused when set, never
     * half-enforced. Checked here at the edge, not in the codec that apply and recovery use: a policy stored by an
     * older version must still replay and restore the same way.
     */
    private static void checkAccessPolicy(Map<String, String> attributes) {
        String policy = attributes.get(dev.sluice.broker.core.QueueAttributeName.POLICY.wireName());
        if (policy == null || policy.isEmpty()) {
            return;
        }
        try {
            dev.sluice.broker.auth.policy.PolicyParser.resource(policy, "sqs");
        } catch (dev.sluice.broker.auth.policy.PolicyRefused refused) {
            throw SqsError.INVALID_ATTRIBUTE_VALUE.exception(
                    "Invalid value for the parameter Policy. Reason: " + refused.getMessage());
        }
    }

    public void check(GetQueueUrlRequest request) {
        checkQueueName(request.queueName());
        // Every account id is 12 digits; anything else would otherwise end up inside a qualified queue name.
        if (request.queueOwnerAwsAccountId() != null && !ACCOUNT_ID.matcher(request.queueOwnerAwsAccountId()).matches()) {
            throw SqsError.INVALID_ADDRESS.exception("The specified ID is invalid: QueueOwnerAWSAccountId must be 12 digits.");
        }
        if (refusesReservedNames && ReservedQueueNames.isReserved(request.queueName())) {
            throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
        }
    }

    public void check(ListQueuesRequest request) {
        checkMaxResults(request.maxResults(), limits.maxListResults());
    }

    public void check(GetQueueAttributesRequest request) {
        queue(request.queueUrl());
        QueueAttributeCodec.checkReadableNames(request.attributeNames());
    }

    public void check(SetQueueAttributesRequest request) {
        QueueUrl queue = queue(request.queueUrl());
        if (request.attributes().isEmpty()) {
            throw missing("Attribute");
        }
        checkAttributeText(request.attributes());
        attributes.checkSettable(isFifo(queue), request.attributes());
        checkAccessPolicy(request.attributes());
        checkRedriveNeighbours(request.attributes());
    }

    public void check(TagQueueRequest request) {
        queue(request.queueUrl());
        if (request.tags().isEmpty()) {
            throw missing("Tags");
        }
        checkTags(request.tags());
    }

    public void check(UntagQueueRequest request) {
        queue(request.queueUrl());
        if (request.tagKeys().isEmpty()) {
            throw missing("TagKeys");
        }
    }

    public void check(SendMessageRequest request) {
        QueueUrl queue = queue(request.queueUrl());
        messages.checkMessage(isFifo(queue), request.messageBody(), request.delaySeconds(), request.messageAttributes(),
                request.messageSystemAttributes(), request.messageGroupId(), request.messageDeduplicationId());
    }

    public BatchCheck<SendMessageBatchRequestEntry> check(SendMessageBatchRequest request) {
        boolean fifo = isFifo(queue(request.queueUrl()));
        List<SendMessageBatchRequestEntry> entries = request.entries();
        checkBatchShape(entries, SendMessageBatchRequestEntry::id);
        long total = 0;
        for (SendMessageBatchRequestEntry entry : entries) {
            total += entry.messageBody() == null ? 0 : MessageChecks.sizeOf(entry.messageBody(), entry.messageAttributes());
        }
        if (total > limits.maxBatchPayloadBytes()) {
            throw SqsError.BATCH_REQUEST_TOO_LONG.exception("Batch requests cannot be longer than "
                    + limits.maxBatchPayloadBytes() + " bytes. You have sent " + total + " bytes.");
        }
        return checkEntries(entries, SendMessageBatchRequestEntry::id, entry -> messages.checkMessage(fifo,
                entry.messageBody(), entry.delaySeconds(), entry.messageAttributes(), entry.messageSystemAttributes(),
                entry.messageGroupId(), entry.messageDeduplicationId()));
    }

    public void check(ReceiveMessageRequest request) {
        queue(request.queueUrl());
        if (request.maxNumberOfMessages() != null) {
            messages.checkRange("MaxNumberOfMessages", request.maxNumberOfMessages(), 1, limits.maxReceiveMessages());
        }
        if (request.visibilityTimeout() != null) {
            messages.checkRange("VisibilityTimeout", request.visibilityTimeout(), 0, limits.maxVisibilityTimeoutSeconds());
        }
        if (request.waitTimeSeconds() != null) {
            messages.checkRange("WaitTimeSeconds", request.waitTimeSeconds(), 0, limits.maxWaitTimeSeconds());
        }
        for (String name : request.attributeNames()) {
            if (!MESSAGE_SYSTEM_ATTRIBUTES.contains(name) && QueueAttributeName.ofWireName(name) == null) {
                throw SqsError.INVALID_ATTRIBUTE_NAME.exception("Unknown Attribute " + name + ".");
            }
        }
        for (String name : request.messageSystemAttributeNames()) {
            if (!MESSAGE_SYSTEM_ATTRIBUTES.contains(name)) {
                throw SqsError.INVALID_ATTRIBUTE_NAME.exception("Unknown Attribute " + name + ".");
            }
        }
        for (String name : request.messageAttributeNames()) {
            if (!name.equals("All") && !name.equals(".*")) {
                messages.checkAttributeName(name.endsWith(".*") ? name.substring(0, name.length() - 2) : name);
            }
        }
        messages.checkToken("ReceiveRequestAttemptId", request.receiveRequestAttemptId(),
                limits.maxReceiveRequestAttemptIdLength());
    }

    public void check(DeleteMessageRequest request) {
        queue(request.queueUrl());
        checkReceiptHandle(request.receiptHandle());
    }

    public BatchCheck<DeleteMessageBatchRequestEntry> check(DeleteMessageBatchRequest request) {
        queue(request.queueUrl());
        checkBatchShape(request.entries(), DeleteMessageBatchRequestEntry::id);
        return checkEntries(request.entries(), DeleteMessageBatchRequestEntry::id,
                entry -> checkReceiptHandle(entry.receiptHandle()));
    }

    public void check(ChangeMessageVisibilityRequest request) {
        queue(request.queueUrl());
        checkReceiptHandle(request.receiptHandle());
        checkVisibilityTimeout(request.visibilityTimeout());
    }

    public BatchCheck<ChangeMessageVisibilityBatchRequestEntry> check(ChangeMessageVisibilityBatchRequest request) {
        queue(request.queueUrl());
        checkBatchShape(request.entries(), ChangeMessageVisibilityBatchRequestEntry::id);
        return checkEntries(request.entries(), ChangeMessageVisibilityBatchRequestEntry::id, entry -> {
            checkReceiptHandle(entry.receiptHandle());
            checkVisibilityTimeout(entry.visibilityTimeout());
        });
    }

    public void check(ListDeadLetterSourceQueuesRequest request) {
        queue(request.queueUrl());
        checkMaxResults(request.maxResults(), limits.maxListResults());
    }

    public void check(StartMessageMoveTaskRequest request) {
        required("SourceArn", request.sourceArn());
        if (request.maxNumberOfMessagesPerSecond() != null) {
            messages.checkRange("MaxNumberOfMessagesPerSecond", request.maxNumberOfMessagesPerSecond(), 1,
                    limits.maxMoveMessagesPerSecond());
        }
        if (ReservedQueueNames.isReservedArn(request.sourceArn())) {
            throw MoveTasks.missingSource();
        }
        if (ReservedQueueNames.isReservedArn(request.destinationArn())) {
            throw MoveTasks.missingDestination();
        }
    }

    public void check(ListMessageMoveTasksRequest request) {
        required("SourceArn", request.sourceArn());
        checkMaxResults(request.maxResults(), limits.maxMoveTasksListed());
        if (ReservedQueueNames.isReservedArn(request.sourceArn())) {
            throw MoveTasks.missingSource();
        }
    }

    public void check(CancelMessageMoveTaskRequest request) {
        required("TaskHandle", request.taskHandle());
    }

    /**
     * True when {@code text} holds only characters SQS accepts in a message body (#x9, #xA, #xD,
     * #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF): what the REST API asks to decide whether a raw
     * body can be stored as the SQS body itself.
     */
    public static boolean isValidMessageText(String text) {
        return MessageChecks.hasOnlyAllowedCharacters(text);
    }

    /** Checks presence and form of a queue URL: MissingParameter, or InvalidAddress when unparsable. */
    public QueueUrl queue(String queueUrl) {
        required("QueueUrl", queueUrl);
        QueueUrl parsed = QueueUrl.parse(queueUrl).orElseThrow(() -> SqsError.INVALID_ADDRESS.exception(
                "The address " + queueUrl + " is not valid for this endpoint."));
        return parsed;
    }

    /**
     * Fails with QueueDoesNotExist, as the engine does for a missing queue, when this validator's callers
     * may not reach the queue of a URL that passed {@link #queue}: the tenants' edge and an internal queue.
     * Called where the engine would look the queue up, after every other check, so that an internal queue's
     * answer is a missing queue's in every case, invalid requests included.
     */
    public void checkReachable(String queueUrl) {
        if (refusesReservedNames && QueueUrl.parse(queueUrl).map(QueueUrl::queueName)
                .filter(ReservedQueueNames::isReserved).isPresent()) {
            throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
        }
    }

    /**
     * An internal queue is never a dead-letter queue or an allowed redrive source, for any caller: Sluice's own
     * code never makes it one, and a tenant that could would redrive forged records into a topic's outbox. Named
     * as a dead-letter target it is missing (SetQueueAttributes' own answer); in sourceQueueArns it is refused as
     * a malformed ARN would be, whether the queue exists or not, so neither answer tells that it does.
     */
    private void checkRedriveNeighbours(Map<String, String> queueAttributes) {
        attributes.deadLetterTargetArn(queueAttributes).filter(ReservedQueueNames::isReservedArn).ifPresent(arn -> {
            throw QueueBook.missingDeadLetterTarget(arn);
        });
        if (attributes.redriveSourceArns(queueAttributes).stream().anyMatch(ReservedQueueNames::isReservedArn)) {
            throw QueueAttributeCodec.invalidRedriveSourceArn();
        }
    }

    /** A queue's kind follows from its name: only FIFO queues, and all of them, end in {@code .fifo}. */
    private static boolean isFifo(QueueUrl queue) {
        return queue.queueName().endsWith(".fifo");
    }

    private void checkQueueName(String name) {
        required("QueueName", name);
        if (name.length() > limits.maxQueueNameLength() || !QUEUE_NAME.matcher(name).matches()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Can only include alphanumeric characters, hyphens, or "
                    + "underscores. 1 to " + limits.maxQueueNameLength() + " in length.");
        }
    }

    private void checkTags(Map<String, String> tags) {
        if (tags.size() > limits.maxTagsPerQueue()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Too many tags: at most " + limits.maxTagsPerQueue() + ".");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > limits.maxTagKeyLength() || !TAG_KEY.matcher(key).matches()
                    || key.startsWith("aws:")) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Tag key " + key + " is invalid.");
            }
            if (value.length() > limits.maxTagValueLength()) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Tag value for key " + key + " is too long.");
            }
            // Values share the keys' alphabet (Unicode letters, digits, spaces and _ . : / = + - @), so a
            // NUL or control character is refused here rather than stored and echoed.
            if (!value.isEmpty() && !TAG_KEY.matcher(value).matches()) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Tag value for key " + key + " is invalid.");
            }
        });
    }

    /**
     * Queue attribute values are stored and answered as text, in XML too: a character SQS does not
     * allow in a message (NUL, other controls, lone surrogates) is refused here, before any value is read
     * (names are checked against the known attributes).
     */
    private static void checkAttributeText(Map<String, String> values) {
        values.forEach((name, value) -> {
            if (!MessageChecks.hasOnlyAllowedCharacters(value)) {
                throw SqsError.INVALID_ATTRIBUTE_VALUE.exception("Invalid value for the parameter " + name
                        + ": it contains characters outside the allowed set.");
            }
        });
    }

    private void checkMaxResults(Integer maxResults, int max) {
        if (maxResults != null) {
            messages.checkRange("MaxResults", maxResults, 1, max);
        }
    }

    private void checkReceiptHandle(String receiptHandle) {
        required("ReceiptHandle", receiptHandle);
    }

    private void checkVisibilityTimeout(Integer visibilityTimeout) {
        if (visibilityTimeout == null) {
            throw missing("VisibilityTimeout");
        }
        messages.checkRange("VisibilityTimeout", visibilityTimeout, 0, limits.maxVisibilityTimeoutSeconds());
    }

    private <E> void checkBatchShape(List<E> entries, Function<E, String> id) {
        if (entries.isEmpty()) {
            throw SqsError.EMPTY_BATCH_REQUEST.exception("There should be at least one entry in the request.");
        }
        if (entries.size() > limits.maxBatchEntries()) {
            throw SqsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST.exception("Maximum number of entries per request are "
                    + limits.maxBatchEntries() + ". You have sent " + entries.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (E entry : entries) {
            String entryId = id.apply(entry);
            if (entryId == null || entryId.isEmpty() || entryId.length() > limits.maxBatchEntryIdLength()
                    || !isBatchEntryIdText(entryId)) {
                throw SqsError.INVALID_BATCH_ENTRY_ID.exception();
            }
            if (!seen.add(entryId)) {
                throw SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT.exception("Id " + entryId + " repeated.");
            }
        }
    }

    private static <E> BatchCheck<E> checkEntries(List<E> entries, Function<E, String> id, Consumer<E> check) {
        List<E> accepted = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (E entry : entries) {
            try {
                check.accept(entry);
                accepted.add(entry);
            } catch (SqsException e) {
                failed.add(new BatchResultErrorEntry(id.apply(entry), e.error().senderFault(), e.error().legacyCode(),
                        e.getMessage()));
            }
        }
        return new BatchCheck<>(accepted, failed);
    }

    private static void required(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            throw missing(parameter);
        }
    }

    /**
     * True when {@code id} is non-empty and only {@code [A-Za-z0-9_-]}: a loop, not a regular expression, as every
     * entry of every batch request is checked.
     */
    static boolean isBatchEntryIdText(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
