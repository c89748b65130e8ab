package dev.sluice.clientsdk.http;

import dev.sluice.clientsdk.JsonProtocolCodec;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.model.*;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * {@link QueueClient} over HTTP: SQS's AWS JSON 1.0 protocol ({@code POST /} with
 * {@code X-Amz-Target: AmazonSQS.<Action>}), so it works against Sluice and against Amazon SQS.
 *
 * <p>Requests are signed with SigV4 when credentials are set (Sluice on loopback needs none; Amazon
 * SQS and a Sluice with access keys do). Connection failures, throttling and 5xx answers are tried
 * again per the {@link RetryPolicy}; every try has a timeout ({@code requestTimeout}, plus the long
 * poll's wait for ReceiveMessage). Failures: an SQS error answer completes the future with
 * {@link SqsException} (an unknown code maps by status: 5xx to INTERNAL_ERROR or SERVICE_UNAVAILABLE,
 * other to INVALID_PARAMETER_VALUE, the code kept in the message); a connection failure left after
 * the last try completes it with the {@link java.io.IOException}. MD5 fields are returned as the
 * server sent them. Build with {@link #builder()}. Thread-safe; never blocks.
 */
public final class HttpQueueClient implements QueueClient {

    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "AmazonSQS.";
    /** Codes (JSON and Query spellings) that mean "slow down"; such answers are tried again. */
    private static final Set<String> THROTTLING_CODES = Set.of("RequestThrottled", "ThrottlingException",
            "Throttling", "TooManyRequestsException", "RequestLimitExceeded");
    /** A long poll whose wait is left to the queue's default may wait up to SQS's maximum. */
    private static final int MAX_WAIT_SECONDS = 20;

    private final URI endpoint;
    private final AwsCredentials credentials;
    private final SigV4Signer signer;
    private final Duration requestTimeout;
    private final InstantSource clock;
    private final RetryingHttpSender sender;
    private final JsonProtocolCodec json = new JsonProtocolCodec();

    private HttpQueueClient(HttpQueueClientBuilder<HttpQueueClient> builder) {
        this.endpoint = builder.endpoint();
        this.credentials = builder.credentials();
        this.signer = new SigV4Signer("sqs", builder.region(), true);
        this.requestTimeout = builder.requestTimeout();
        this.clock = builder.clock();
        this.sender = builder.sender(this::retryable);
    }

    /** A builder; only {@code endpoint} is required. */
    public static HttpQueueClientBuilder<HttpQueueClient> builder() {
        return new HttpQueueClientBuilder<>(HttpQueueClient::new);
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return call(SqsAction.CREATE_QUEUE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return call(SqsAction.GET_QUEUE_URL, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        return call(SqsAction.LIST_QUEUES, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return call(SqsAction.DELETE_QUEUE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return call(SqsAction.GET_QUEUE_ATTRIBUTES, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return call(SqsAction.SET_QUEUE_ATTRIBUTES, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return call(SqsAction.TAG_QUEUE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return call(SqsAction.UNTAG_QUEUE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return call(SqsAction.LIST_QUEUE_TAGS, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return call(SqsAction.SEND_MESSAGE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return call(SqsAction.SEND_MESSAGE_BATCH, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        int waitSeconds = request.waitTimeSeconds() == null ? MAX_WAIT_SECONDS
                : Math.max(0, Math.min(request.waitTimeSeconds(), MAX_WAIT_SECONDS));
        return call(SqsAction.RECEIVE_MESSAGE, request, Duration.ofSeconds(waitSeconds));
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return call(SqsAction.DELETE_MESSAGE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return call(SqsAction.DELETE_MESSAGE_BATCH, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(
            ChangeMessageVisibilityRequest request) {
        return call(SqsAction.CHANGE_MESSAGE_VISIBILITY, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return call(SqsAction.CHANGE_MESSAGE_VISIBILITY_BATCH, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return call(SqsAction.PURGE_QUEUE, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return call(SqsAction.LIST_DEAD_LETTER_SOURCE_QUEUES, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return call(SqsAction.START_MESSAGE_MOVE_TASK, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return call(SqsAction.LIST_MESSAGE_MOVE_TASKS, request, Duration.ZERO);
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return call(SqsAction.CANCEL_MESSAGE_MOVE_TASK, request, Duration.ZERO);
    }

    /** Encodes, sends (signed, retried), and decodes the answer or the error of one action. */
    private <T> CompletableFuture<T> call(SqsAction action, Object request, Duration longPoll) {
        byte[] body;
        try {
            body = json.encode(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Duration timeout = requestTimeout.plus(longPoll);
        CompletableFuture<HttpResponse<byte[]>> sent = sender.send(() -> httpRequest(action, body, timeout));
        CompletableFuture<T> decoded = sent.thenApply(response -> decode(action, response));
        return dev.sluice.clientsdk.Cancellation.propagate(decoded, sent);
    }

    private HttpRequest httpRequest(SqsAction action, byte[] body, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("X-Amz-Target", TARGET_PREFIX + action.wireName());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentials != null) {
            headers.putAll(signer.sign("POST", endpoint, headers, body, credentials, clock.instant()).headers());
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private <T> T decode(SqsAction action, HttpResponse<byte[]> response) {
        if (response.statusCode() == 200) {
            return (T) json.decodeResponse(action, response.body());
        }
        throw errorOf(response);
    }

    /** The typed error of a non-200 answer, by its JSON {@code __type}, else its Query code header, else its status. */
    private SqsException errorOf(HttpResponse<byte[]> response) {
        JsonProtocolCodec.ErrorBody body = json.decodeError(response.body());
        String code = body.code() != null ? body.code() : queryErrorCode(response);
        SqsError error = SqsError.ofCode(code);
        if (error == null) {
            error = SqsError.ofCode(queryErrorCode(response));
        }
        String message = body.message();
        if (error == null) {
            int status = response.statusCode();
            error = status == 503 ? SqsError.SERVICE_UNAVAILABLE : status >= 500 ? SqsError.INTERNAL_ERROR
                    : status == 403 ? SqsError.ACCESS_DENIED : SqsError.INVALID_PARAMETER_VALUE;
            message = (code == null ? "HTTP " + status : code) + (message == null ? "" : ": " + message);
        }
        return error.exception(message);
    }

    private static String queryErrorCode(HttpResponse<byte[]> response) {
        return response.headers().firstValue("x-amzn-query-error").map(value -> value.split(";", 2)[0]).orElse(null);
    }

    private boolean retryable(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            return true;
        }
        if (status == 200) {
            return false;
        }
        return isThrottling(json.decodeError(response.body()).code()) || isThrottling(queryErrorCode(response));
    }

    private static boolean isThrottling(String code) {
        return code != null && THROTTLING_CODES.contains(code);
    }

    /** For tests and logs: where this client sends its requests. */
    public URI endpoint() {
        return endpoint;
    }

}
