package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.broker.core.PeekedMessage;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.clientsdk.Cancellation;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /v1/queues/{name}/messages}: send a raw body, receive as JSON or one raw body, delete and
 * change visibility by receipt handle. Every call goes through the validating in-process
 * {@link QueueClient}, so limits and error codes are those of the SQS API.
 */
public final class MessageResource implements RestResource {

    static final String ATTRIBUTE_HEADER_PREFIX = "sluice-attribute-";
    static final String ATTRIBUTE_QUERY_PREFIX = "attribute.";
    static final String ATTRIBUTE_TYPE_QUERY_PREFIX = "attributeType.";
    private static final int DEFAULT_PEEK = 10;

    private final CallerQueues queues;

    public MessageResource(CallerQueues queues) {
        this.queues = queues;
    }

    @Override
    public String tag() {
        return "messages";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("POST", "/queues/{name}/messages", "sendMessage",
                        "Sends the raw request body as one message (stored byte for byte)",
                        List.of(Parameter.query("delay", "integer", "DelaySeconds, 0..900 (or header Sluice-Delay-Seconds)"),
                                Parameter.query("groupId", "string", "MessageGroupId (or header Sluice-Message-Group-Id)"),
                                Parameter.query("deduplicationId", "string",
                                        "MessageDeduplicationId (or header Sluice-Message-Deduplication-Id)"),
                                Parameter.header("Sluice-Attribute-Name", "a message attribute per header "
                                        + "Sluice-Attribute-<name>, or query parameter attribute.<name>"),
                                Parameter.query("attributeType.name", "string", "the SQS DataType of attribute <name>: "
                                        + "String (default), Number, Binary (value in base64), or a custom String.x, "
                                        + "Number.x, Binary.x")),
                        new Body("*/*", "the message body, any bytes", true),
                        RestOperation.withQueueErrors(Map.of(200, "sent: {messageId, md5OfBody, sequenceNumber}")), this::send),
                new RestOperation("GET", "/queues/{name}/messages", "receiveMessages",
                        "Receives up to max messages as JSON (text bodies in body, others base64 in bodyBase64)",
                        List.of(Parameter.query("max", "integer", "messages, 1..10 (default 1)"),
                                Parameter.query("wait", "integer", "long-poll seconds, 0..20 (default: the queue's)"),
                                Parameter.query("visibility", "integer", "visibility timeout seconds (default: the queue's)")),
                        null, RestOperation.withQueueErrors(Map.of(200, "{messages: [...]}, empty when none arrived")), this::receive),
                new RestOperation("GET", "/queues/{name}/messages/next", "receiveRawMessage",
                        "Receives one message and answers its raw body byte for byte, metadata in Sluice-* headers",
                        List.of(Parameter.query("wait", "integer", "long-poll seconds, 0..20 (default: the queue's)"),
                                Parameter.query("visibility", "integer", "visibility timeout seconds (default: the queue's)")),
                        null, RestOperation.withQueueErrors(Map.of(200, "the raw body; Sluice-Message-Id, Sluice-Receipt-Handle, ...",
                                204, "no message arrived")), this::receiveRaw),
                new RestOperation("GET", "/queues/{name}/messages/peek", "peekMessages",
                        "The queue's oldest messages, read without receiving them: receive counts, visibility and order "
                                + "stay as they are", List.of(Parameter.query("max", "integer",
                                "messages, 1.." + PeekedMessage.MAX_PER_PEEK + " (default 10)")), null,
                        RestOperation.withQueueErrors(Map.of(200, "{messages: [{messageId, body | bodyBase64, attributes, "
                                + "messageAttributes, state: VISIBLE|IN_FLIGHT|DELAYED, visibleAt}]}")), this::peek),
                new RestOperation("DELETE", "/queues/{name}/messages/{receiptHandle}", "deleteMessage",
                        "Deletes a received message (deleting twice succeeds)", List.of(), null,
                        RestOperation.withQueueErrors(Map.of(204, "deleted")), this::delete),
                new RestOperation("PUT", "/queues/{name}/messages/{receiptHandle}/visibility", "changeVisibility",
                        "Sets a received message's visibility timeout, counted from now",
                        List.of(new Parameter("timeout", "query", "integer", true, "seconds, 0..43200")), null,
                        RestOperation.withQueueErrors(Map.of(204, "changed")), this::changeVisibility));
    }

    private CompletableFuture<RestResponse> send(RestRequest request) {
        RawBody.Stored stored = RawBody.store(request.body());
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(attributesOf(request));
        if (stored.attribute() != null) {
            attributes.put(RawBody.ATTRIBUTE, stored.attribute());
        }
        SendMessageRequest send = new SendMessageRequest(queues.urlOf(request, request.path("name")), stored.body(),
                RestParameters.integer(request.queryOrHeader("delay", "Sluice-Delay-Seconds"), "delay"), attributes,
                null, request.queryOrHeader("deduplicationId", "Sluice-Message-Deduplication-Id"),
                request.queryOrHeader("groupId", "Sluice-Message-Group-Id"));
        return queues.client(request).sendMessage(send).thenApply(sent -> RestResponse.json(200,
                new Sent(sent.messageId(), RawBody.md5(request.body()), sent.sequenceNumber())));
    }

    private CompletableFuture<RestResponse> receive(RestRequest request) {
        Integer max = RestParameters.integer(request.query("max"), "max");
        CompletableFuture<List<Message>> received = receive(request, max == null ? 1 : max);
        return Cancellation.propagate(received.thenApply(messages -> RestResponse.json(200,
                Map.of("messages", messages.stream().map(MessageResource::view).toList()))), received);
    }

    private CompletableFuture<RestResponse> receiveRaw(RestRequest request) {
        CompletableFuture<List<Message>> received = receive(request, 1);
        return Cancellation.propagate(received.thenApply(messages -> {
            if (messages.isEmpty()) {
                return RestResponse.noContent();
            }
            Message message = messages.get(0);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Sluice-Message-Id", message.messageId());
            headers.put("Sluice-Receipt-Handle", message.receiptHandle());
            headers.put("Sluice-Receive-Count", message.attributes().getOrDefault("ApproximateReceiveCount", ""));
            headers.put("Sluice-Sent-Timestamp", message.attributes().getOrDefault("SentTimestamp", ""));
            userAttributes(message).forEach((name, value) -> headers.put("Sluice-Attribute-" + name,
                    value.stringValue() != null ? value.stringValue() : Base64.getEncoder().encodeToString(value.binaryValue())));
            String type = RawBody.isBinary(message) ? "application/octet-stream" : "text/plain; charset=utf-8";
            return new RestResponse(200, type, headers, RawBody.bytes(message));
        }), received);
    }

    private CompletableFuture<List<Message>> receive(RestRequest request, int max) {
        ReceiveMessageRequest receive = new ReceiveMessageRequest(queues.urlOf(request, request.path("name")), List.of("All"),
                null, List.of("All"), max, RestParameters.integer(request.query("visibility"), "visibility"),
                RestParameters.integer(request.query("wait"), "wait"), null);
        CompletableFuture<ReceiveMessageResponse> received = queues.client(request).receiveMessage(receive);
        return Cancellation.propagate(received.thenApply(ReceiveMessageResponse::messages), received);
    }

    /** The caller's queues check the name (valid, no internal queue, existing) and the right to receive before the peek. */
    private CompletableFuture<RestResponse> peek(RestRequest request) {
        Integer max = RestParameters.integer(request.query("max"), "max");
        int count = max == null ? DEFAULT_PEEK : max;
        if (count < 1 || count > PeekedMessage.MAX_PER_PEEK) {
            return CompletableFuture.failedFuture(SqsError.INVALID_PARAMETER_VALUE.exception("Value " + count
                    + " for parameter max is invalid. Reason: must be between 1 and " + PeekedMessage.MAX_PER_PEEK + "."));
        }
        return queues.peek(request, request.path("name"), count)
                .thenApply(messages -> RestResponse.json(200, Map.of("messages", messages.stream().map(peeked ->
                        new PeekedView(view(asMessage(peeked)), peeked.state().name(), peeked.visibleAtMillis())).toList())));
    }

    /** A peeked message in the shape of a received one (no receipt handle), so that both render alike. */
    private static Message asMessage(PeekedMessage peeked) {
        StoredMessage stored = peeked.message();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SentTimestamp", Long.toString(stored.sentMillis()));
        attributes.put("ApproximateReceiveCount", Integer.toString(peeked.receiveCount()));
        if (stored.messageGroupId() != null) {
            attributes.put("MessageGroupId", stored.messageGroupId());
        }
        if (stored.messageDeduplicationId() != null) {
            attributes.put("MessageDeduplicationId", stored.messageDeduplicationId());
        }
        if (stored.deadLetterSourceArn() != null) {
            attributes.put("DeadLetterQueueSourceArn", stored.deadLetterSourceArn());
        }
        return new Message(stored.messageId(), null, null, stored.body(), attributes, null, stored.messageAttributes());
    }

    private CompletableFuture<RestResponse> delete(RestRequest request) {
        return queues.client(request).deleteMessage(new DeleteMessageRequest(queues.urlOf(request, request.path("name")),
                request.path("receiptHandle"))).thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> changeVisibility(RestRequest request) {
        Integer timeout = RestParameters.integer(request.query("timeout"), "timeout");
        if (timeout == null) {
            return CompletableFuture.failedFuture(SqsError.MISSING_PARAMETER.exception(
                    "The request must contain the parameter timeout."));
        }
        return queues.client(request).changeMessageVisibility(new ChangeMessageVisibilityRequest(queues.urlOf(request, request.path("name")),
                request.path("receiptHandle"), timeout)).thenApply(ignored -> RestResponse.noContent());
    }

    /**
     * Message attributes from {@code Sluice-Attribute-<name>} headers and {@code attribute.<name>} parameters, String
     * unless {@code attributeType.<name>} names another SQS data type ({@code Number}, {@code Binary}, or a custom
     * {@code Type.label} of one): a Binary value is base64. The values are then checked as SQS checks them.
     */
    private static Map<String, MessageAttributeValue> attributesOf(RestRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        request.headers().forEach((name, given) -> {
            if (name.regionMatches(true, 0, ATTRIBUTE_HEADER_PREFIX, 0, ATTRIBUTE_HEADER_PREFIX.length())
                    && name.length() > ATTRIBUTE_HEADER_PREFIX.length()) {
                values.put(name.substring(ATTRIBUTE_HEADER_PREFIX.length()), given.get(0));
            }
        });
        Map<String, String> types = new LinkedHashMap<>();
        request.query().forEach((name, given) -> {
            if (name.startsWith(ATTRIBUTE_QUERY_PREFIX) && name.length() > ATTRIBUTE_QUERY_PREFIX.length()) {
                values.put(name.substring(ATTRIBUTE_QUERY_PREFIX.length()), given.get(0));
            } else if (name.startsWith(ATTRIBUTE_TYPE_QUERY_PREFIX) && name.length() > ATTRIBUTE_TYPE_QUERY_PREFIX.length()) {
                types.put(name.substring(ATTRIBUTE_TYPE_QUERY_PREFIX.length()), given.get(0));
            }
        });
        if (values.containsKey(RawBody.ATTRIBUTE)) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The message attribute name " + RawBody.ATTRIBUTE
                    + " is reserved.");
        }
        for (String typed : types.keySet()) {
            if (!values.containsKey(typed)) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + typed
                        + "' has a type (attributeType." + typed + ") but no value (attribute." + typed + ").");
            }
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        values.forEach((name, value) -> attributes.put(name, typedValue(name, types.getOrDefault(name, "String"), value)));
        return attributes;
    }

    /** A Binary type (or a custom {@code Binary.label}) takes its value as base64; every other type as text. */
    private static MessageAttributeValue typedValue(String name, String dataType, String value) {
        if (!dataType.equals("Binary") && !dataType.startsWith("Binary.")) {
            return MessageAttributeValue.ofString(dataType, value);
        }
        try {
            return MessageAttributeValue.ofBinary(dataType, Base64.getDecoder().decode(value.trim()));
        } catch (IllegalArgumentException notBase64) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The message attribute '" + name
                    + "' is Binary: its value must be base64.");
        }
    }

    private static Map<String, MessageAttributeValue> userAttributes(Message message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.messageAttributes());
        attributes.remove(RawBody.ATTRIBUTE);
        return attributes;
    }

    private static ReceivedView view(Message message) {
        boolean binary = RawBody.isBinary(message);
        Map<String, AttributeView> attributes = new LinkedHashMap<>();
        userAttributes(message).forEach((name, value) -> attributes.put(name, new AttributeView(value.dataType(),
                value.stringValue(), value.binaryValue() == null ? null : Base64.getEncoder().encodeToString(value.binaryValue()))));
        return new ReceivedView(message.messageId(), message.receiptHandle(), RawBody.md5(RawBody.bytes(message)),
                binary ? null : message.body(),
                binary ? Base64.getEncoder().encodeToString(RawBody.bytes(message)) : null,
                message.attributes(), attributes);
    }

    /** A peeked message as JSON: a received one's fields (no receipt handle), where it stands and when it is visible. */
    record PeekedView(@com.fasterxml.jackson.annotation.JsonUnwrapped ReceivedView message, String state, long visibleAt) {
    }

    /** The answer to a send; {@code md5OfBody} is the MD5 of the posted bytes. */
    record Sent(String messageId, String md5OfBody, String sequenceNumber) {
    }

    /** A received message as JSON; exactly one of {@code body} and {@code bodyBase64} is set. */
    record ReceivedView(String messageId, String receiptHandle, String md5OfBody, String body, String bodyBase64,
            Map<String, String> attributes, Map<String, AttributeView> messageAttributes) {
    }

    /** A message attribute as JSON; binary values base64. */
    record AttributeView(String dataType, String stringValue, String binaryValue) {
    }
}
