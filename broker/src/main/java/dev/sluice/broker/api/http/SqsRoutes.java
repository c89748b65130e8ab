package dev.sluice.broker.api.http;

import dev.sluice.broker.api.sqs.SqsEndpoint;
import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.notify.api.http.NotifyRoutes;
import java.util.function.BiFunction;
import dev.sluice.broker.api.sqs.SqsErrorEncoder;
import dev.sluice.broker.api.sqs.SqsHttpRequest;
import dev.sluice.broker.api.sqs.SqsHttpResponse;
import dev.sluice.broker.api.sqs.SqsProtocol;
import dev.sluice.clientsdk.JsonProtocolCodec;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.service.SqsValidator;
import dev.sluice.broker.service.ValidatingQueueClient;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.notify.api.http.RequestBound;
import dev.sluice.raftstore.trace.StageEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQS routes on a Vert.x {@link Router}: {@code POST /} (JSON 1.0 and Query) and
 * {@code POST /{accountId}/{queueName}} (Query with the queue in the path), plus the same paths
 * with {@code GET} for Query requests in the URL, as SQS answers them.
 *
 * <p>Bodies are read up to a bound; a larger body is answered with an SQS error, not read. The
 * handler runs on the event loop and never blocks: the queue client answers with a future and the
 * response is written back on the route's context. Every failure goes through the one
 * {@link SqsErrorEncoder}.
 */
public final class SqsRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SqsRoutes.class);
    /** SendMessageBatch's 1 MiB of payload can grow about 4/3 (base64) and 3x (percent-encoding). */
    private static final int BODY_EXPANSION = 4;

    private final SqsEndpoint endpoint;
    /** Each request's own view of the queues: its caller's account, every action access-checked with its context. */
    private final BiFunction<Caller, RequestContext, QueueClient> callersEngine;
    private final SqsErrorEncoder errors = new SqsErrorEncoder(new JsonProtocolCodec());
    private final Supplier<String> requestIds;
    private final long maxBodyBytes;

    /**
     * @param engine the queue engine; requests reach it only after {@link SqsValidator} accepted them
     * @param limits the SQS limits to validate with
     */
    public SqsRoutes(QueueClient engine, SqsLimits limits) {
        this(engine, limits, () -> UUID.randomUUID().toString());
    }

    public SqsRoutes(QueueClient engine, SqsLimits limits, Supplier<String> requestIds) {
        this((caller, context) -> engine, limits, requestIds);
    }

    /**
     * @param callersEngine the engine as each request may reach it ({@link dev.sluice.broker.service.AccountQueueClient}:
     *     its caller's account, every action checked with the request's context); requests reach it only after
     *     {@link SqsValidator} accepted them
     * @param limits the SQS limits to validate with
     */
    public SqsRoutes(BiFunction<Caller, RequestContext, QueueClient> callersEngine, SqsLimits limits) {
        this(callersEngine, limits, () -> UUID.randomUUID().toString());
    }

    public SqsRoutes(BiFunction<Caller, RequestContext, QueueClient> callersEngine, SqsLimits limits,
            Supplier<String> requestIds) {
        QueueAttributeCodec attributeCodec = new QueueAttributeCodec(limits.queueAttributeBounds());
        SqsValidator validator = new SqsValidator(limits, attributeCodec);
        this.callersEngine = (caller, context) -> new ValidatingQueueClient(callersEngine.apply(caller, context), validator);
        this.endpoint = new SqsEndpoint(caller -> this.callersEngine.apply(caller, RequestContext.NONE), requestIds);
        this.requestIds = requestIds;
        this.maxBodyBytes = (long) limits.maxBatchPayloadBytes() * BODY_EXPANSION;
    }

    /** Adds the SQS routes to {@code router}. */
    public void mount(Router router) {
        RawBodyHandler body = new RawBodyHandler(maxBodyBytes);
        configure(router.post("/").handler(body));
        configure(router.get("/"));
        // Only paths shaped like a queue URL, so that other APIs' two-segment routes stay theirs.
        configure(router.postWithRegex(QUEUE_PATH).handler(body));
        configure(router.getWithRegex(QUEUE_PATH));
    }

    /** {@code /{12-digit account id}/{queue name}}, as in SQS queue URLs. */
    private static final String QUEUE_PATH = "/(?<accountId>\\d{12})/(?<queueName>[A-Za-z0-9_-]{1,80}(?:\\.fifo)?)";

    private void configure(Route route) {
        route.handler(this::handle).failureHandler(this::fail);
    }

    private void handle(RoutingContext context) {
        long received = System.nanoTime();
        HttpServerRequest request = context.request();
        Buffer body = context.body().buffer();
        SqsHttpRequest sqsRequest = new SqsHttpRequest(request.method().name(), request.getHeader("Content-Type"),
                request.getHeader("X-Amz-Target"), request.query(), body == null ? new byte[0] : body.getBytes(),
                (request.isSSL() ? "https://" : "http://") + request.getHeader("Host"), context.pathParam("accountId"),
                context.pathParam("queueName"));
        Context vertxContext = context.vertx().getOrCreateContext();
        Caller caller = AuthenticationHandler.accountCaller(context);
        RequestContext conditions = RequestContext.direct(NotifyRoutes.caller(context).sourceIp(), request.isSSL());
        CompletableFuture<SqsHttpResponse> handled = endpoint.handle(sqsRequest, callersEngine.apply(caller, conditions),
                RequestBound.of(context)::within);
        StageEvent.record("sqs.decode-and-submit", received);
        // A client that hangs up ends its long poll now rather than when its wait time runs out.
        context.response().closeHandler(closed -> handled.cancel(false));
        handled.whenComplete((response, failure) -> {
            long handledAt = System.nanoTime();
            vertxContext.runOnContext(ignored -> answer(context, sqsRequest, response, failure, received, handledAt));
        });
    }

    /** On the request's event loop, once the engine has answered (or failed, or the client went away). */
    private void answer(RoutingContext context, SqsHttpRequest sqsRequest, SqsHttpResponse response, Throwable failure,
            long received, long handledAt) {
        StageEvent.record("sqs.event-loop-hop", handledAt);
        if (failure instanceof java.util.concurrent.CancellationException) {
            return;
        }
        if (failure != null) {
            write(context, sqsRequest.protocol(), errors.encode(sqsRequest.protocol(), SqsError.INTERNAL_ERROR, null,
                    requestIds.get()));
        } else {
            write(context, sqsRequest.protocol(), response);
        }
        StageEvent.record("sqs.server", received);
    }

    /**
     * Failures before the handler as SQS errors: a body over the bound (413); a body that could not be read
     * (400); anything else is an internal error, logged.
     */
    private void fail(RoutingContext context) {
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        HttpServerRequest request = context.request();
        SqsProtocol protocol = new SqsHttpRequest(request.method().name(), request.getHeader("Content-Type"),
                request.getHeader("X-Amz-Target"), null, null, "", null, null).protocol();
        SqsHttpResponse response = switch (context.statusCode()) {
            case 413 -> errors.encode(protocol, SqsError.REQUEST_ENTITY_TOO_LARGE,
                    "The request body is larger than " + maxBodyBytes + " bytes.", requestIds.get());
            case 400 -> errors.encode(protocol,
                    protocol == SqsProtocol.JSON ? SqsError.SERIALIZATION_EXCEPTION : SqsError.MALFORMED_QUERY_STRING,
                    null, requestIds.get());
            default -> {
                LOG.warn("SQS request failed before its handler ran (status {})", context.statusCode(),
                        context.failure());
                yield errors.encode(protocol, SqsError.INTERNAL_ERROR, null, requestIds.get());
            }
        };
        write(context, protocol, response);
    }

    private static void write(RoutingContext context, SqsProtocol protocol, SqsHttpResponse response) {
        if (context.response().ended()) {
            return;
        }
        ApiCall.answered(context, protocol == SqsProtocol.JSON ? "sqs_json" : "sqs_query", response.action(),
                response.errorCode());
        context.response().setStatusCode(response.status()).putHeader("Content-Type", response.contentType());
        response.headers().forEach(context.response()::putHeader);
        context.response().end(Buffer.buffer(response.body()));
    }
}
