package dev.sluice.broker.api.sqs;

import dev.sluice.broker.auth.Caller;
import dev.sluice.clientsdk.JsonProtocolCodec;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import dev.sluice.clientsdk.Cancellation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQS HTTP exchange without HTTP library types: detects the protocol, decodes the action's
 * request record, calls the {@link QueueClient}, and encodes the answer or the error. Every failure
 * becomes an SQS error answer: bad input is a 4xx with SQS's code, never a 500; only unexpected
 * exceptions are {@link SqsError#INTERNAL_ERROR}. Never blocks; thread-safe.
 */
public final class SqsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEndpoint.class);
    private static final String TARGET_PREFIX = "AmazonSQS.";

    private final Function<Caller, QueueClient> clients;
    private final Supplier<String> requestIds;
    private final JsonProtocolCodec json = new JsonProtocolCodec();
    private final SqsErrorEncoder errors = new SqsErrorEncoder(json);

    /**
     * @param client the queue client to call, normally the validating edge over the engine
     * @param requestIds request ids for {@code RequestId} and {@code x-amzn-RequestId}
     */
    public SqsEndpoint(QueueClient client, Supplier<String> requestIds) {
        this(caller -> client, requestIds);
    }

    /**
     * @param clients the queue client each caller reaches the queues through (its account's view, checked)
     * @param requestIds request ids for {@code RequestId} and {@code x-amzn-RequestId}
     */
    public SqsEndpoint(Function<Caller, QueueClient> clients, Supplier<String> requestIds) {
        this.clients = clients;
        this.requestIds = requestIds;
    }

    /** The caller of requests that name none: the default account's, as every caller was before accounts existed. */
    private static final Caller DEFAULT_CALLER = new Caller("000000000000", null, false);

    /**
     * The edge's bound on one request (the HTTP routes pass {@code RequestBound.within}): {@code work}'s answer, or
     * {@code unavailable}'s once the cluster has kept it waiting too long, {@code wait} (a long poll's) not counted.
     */
    @FunctionalInterface
    public interface Bound {
        CompletableFuture<SqsHttpResponse> within(CompletableFuture<SqsHttpResponse> work, Duration wait,
                Supplier<SqsHttpResponse> unavailable);
    }

    /** The longest receive wait SQS allows: a receive that names none may wait this long by its queue's default. */
    private static final Duration MAX_RECEIVE_WAIT = Duration.ofSeconds(20);

    /** As {@link #handle(SqsHttpRequest, Bound)}, unbounded. */
    public CompletableFuture<SqsHttpResponse> handle(SqsHttpRequest request) {
        return handle(request, DEFAULT_CALLER, (work, wait, unavailable) -> work);
    }

    /** As {@link #handle(SqsHttpRequest, Caller, Bound)} for the default account's caller. */
    public CompletableFuture<SqsHttpResponse> handle(SqsHttpRequest request, Bound bound) {
        return handle(request, DEFAULT_CALLER, bound);
    }

    /**
     * Answers one request of {@code caller}; if the cluster has not answered within {@code bound}, answers ServiceUnavailable (503,
     * retried by the SDKs) instead.
     */
    public CompletableFuture<SqsHttpResponse> handle(SqsHttpRequest request, Caller caller, Bound bound) {
        return handle(request, clients.apply(caller), bound);
    }

    /**
     * As {@link #handle(SqsHttpRequest, Caller, Bound)} through {@code client}, the caller's own view of the queues
     * (its account's, every action checked), built by the HTTP layer for this one request.
     */
    public CompletableFuture<SqsHttpResponse> handle(SqsHttpRequest request, QueueClient client, Bound bound) {
        String requestId = requestIds.get();
        SqsProtocol protocol = request.protocol();
        SqsAction action = null;
        Object decoded;
        try {
            if (protocol == SqsProtocol.JSON) {
                action = jsonAction(request.amzTarget());
                decoded = json.decode(action, request.body());
            } else {
                QueryParameters parameters = queryParameters(request);
                action = queryAction(parameters.string("Action"));
                decoded = QueryRequestDecoder.decode(action, parameters, request.pathQueueUrl());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(protocol, e, requestId).answering(action));
        }
        SqsAction named = action;
        CompletableFuture<?> result;
        try {
            result = named.invoke(client, decoded);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<SqsHttpResponse> answered = Cancellation.propagate(result.handle((response, failure) ->
                (failure != null ? error(protocol, failure, requestId) : encode(protocol, named, response, requestId))
                        .answering(named)), result);
        return bound.within(answered, receiveWait(decoded), () -> errors.encode(protocol, SqsError.SERVICE_UNAVAILABLE, null, requestId)
                .answering(named));
    }

    /**
     * How long a receive may legitimately wait for messages: its WaitTimeSeconds, or, when it names none, the most its
     * queue's ReceiveMessageWaitTimeSeconds may say (read further in, from the queue's replica). Zero for the rest.
     */
    private static Duration receiveWait(Object decoded) {
        if (decoded instanceof ReceiveMessageRequest receive) {
            Integer seconds = receive.waitTimeSeconds();
            return seconds == null ? MAX_RECEIVE_WAIT
                    : Duration.ofSeconds(Math.max(0, Math.min(seconds, MAX_RECEIVE_WAIT.toSeconds())));
        }
        return Duration.ZERO;
    }

    private SqsHttpResponse encode(SqsProtocol protocol, SqsAction action, Object response, String requestId) {
        try {
            byte[] body = protocol == SqsProtocol.JSON ? json.encode(response)
                    : QueryResponseEncoder.encode(action, response, requestId);
            return new SqsHttpResponse(200, protocol.responseContentType(), Map.of("x-amzn-RequestId", requestId), body);
        } catch (RuntimeException e) {
            return error(protocol, e, requestId);
        }
    }

    private SqsHttpResponse error(SqsProtocol protocol, Throwable failure, String requestId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SqsException sqs) {
            return errors.encode(protocol, sqs.error().answered(), sqs.getMessage(), requestId);
        }
        LOG.warn("SQS request {} failed unexpectedly", requestId, cause);
        return errors.encode(protocol, SqsError.INTERNAL_ERROR, null, requestId);
    }

    private static SqsAction jsonAction(String target) {
        SqsAction action = target != null && target.startsWith(TARGET_PREFIX)
                ? SqsAction.ofWireName(target.substring(TARGET_PREFIX.length())) : null;
        if (target == null || target.isEmpty()) {
            throw SqsError.INVALID_ACTION.exception("The request must name its operation in the X-Amz-Target header.");
        }
        if (action == null) {
            throw SqsError.INVALID_ACTION.exception("Unknown operation " + target + ".");
        }
        return action;
    }

    private static SqsAction queryAction(String name) {
        if (name == null || name.isEmpty()) {
            throw SqsError.MISSING_ACTION.exception("The request must contain the parameter Action.");
        }
        SqsAction action = SqsAction.ofWireName(name);
        if (action == null) {
            throw SqsError.INVALID_ACTION.exception("The action " + name + " is not valid for this endpoint.");
        }
        return action;
    }

    /**
     * Query parameters come from the query string and the form body, each name once (see
     * {@link QueryParameters#ofRequest}): a body cannot override what the URL says, nor the URL the body.
     */
    private static QueryParameters queryParameters(SqsHttpRequest request) {
        return QueryParameters.ofRequest(request.rawQuery(), request.body());
    }
}
