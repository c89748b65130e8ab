package dev.sluice.broker.api.http;

import dev.sluice.broker.api.rest.OpenApiDocument;
import dev.sluice.broker.api.rest.RestErrors;
import dev.sluice.broker.api.rest.RestOperation;
import dev.sluice.broker.api.rest.RestRequest;
import dev.sluice.broker.api.rest.RestResource;
import dev.sluice.broker.api.rest.RestResponse;
import dev.sluice.broker.api.rest.RestUri;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.notify.api.http.NotifyRoutes;
import dev.sluice.notify.api.http.RequestBound;
import dev.sluice.notify.core.Caller;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Mounts the REST API under {@code /v1}: every operation of every {@link RestResource}, the OpenAPI
 * document at {@code /v1/openapi.json}, and a JSON 404 for any other {@code /v1} path. Handlers run
 * on the event loop and never block; answers are written back on the request's context; a client
 * that hangs up cancels its call (ends a long poll). Every failure, thrown or completed, before or in
 * a handler, is answered by {@link RestErrors}. Bodies were read by the server's body handler. The
 * operator-only operations ({@link RestOperation#operatorOnly}) answer AccessDenied (403) to any caller that
 * is not an operator, before their handler runs.
 */
public final class RestRoutes {

    /** The prefix of every REST route. */
    public static final String PREFIX = "/v1";

    private final List<RestResource> resources;
    private final Predicate<Caller> operators;
    private final Supplier<String> requestIds;
    /** Built on its first request, not at start (~5 % of a node's start-up work on its main thread). */
    private volatile byte[] openApi;

    /** @param operators true for a caller that may use the operator-only operations */
    public RestRoutes(List<RestResource> resources, Predicate<Caller> operators) {
        this(resources, operators, () -> UUID.randomUUID().toString());
    }

    public RestRoutes(List<RestResource> resources, Predicate<Caller> operators, Supplier<String> requestIds) {
        this.resources = List.copyOf(resources);
        this.operators = operators;
        this.requestIds = requestIds;
    }

    public void mount(Router router) {
        for (RestResource resource : resources) {
            for (RestOperation operation : resource.operations()) {
                router.route(HttpMethod.valueOf(operation.method()), PREFIX + operation.routerPath())
                        .handler(context -> handle(context, operation)).failureHandler(this::fail);
            }
        }
        router.get(PREFIX + OpenApiDocument.PATH).handler(context -> write(context,
                new RestResponse(200, "application/json", Map.of(), openApi())));
        // Last, so that routes other modules mount under /v1 later still come first.
        router.route(PREFIX + "/*").last().handler(this::noOperation).failureHandler(this::fail);
    }

    /** The OpenAPI document; two first requests at once may both build it, the same bytes. */
    private byte[] openApi() {
        byte[] document = openApi;
        if (document == null) {
            document = OpenApiDocument.build(resources, "1");
            openApi = document;
        }
        return document;
    }

    /** 404 for a path no operation has; a malformed one is the 400 every route answers for it. */
    private void noOperation(RoutingContext context) {
        String requestId = requestIds.get();
        try {
            RestUri.validate(context.request().path(), context.request().query());
        } catch (SqsException e) {
            write(context, RestErrors.of(e, requestId));
            return;
        }
        write(context, RestErrors.of(SqsError.INVALID_ACTION, "No operation " + context.request().method() + " "
                + context.request().path() + ".", requestId).withStatus(404));
    }

    private void handle(RoutingContext context, RestOperation operation) {
        String requestId = requestIds.get();
        if (operation.operatorOnly() && !operators.test(NotifyRoutes.caller(context))) {
            ApiCall.answered(context, "rest", operation.operationId(), SqsError.ACCESS_DENIED.code());
            write(context, RestErrors.of(SqsError.ACCESS_DENIED, "Only an operator may " + operation.method() + " "
                    + PREFIX + operation.path() + ": sign with an admin access key.", requestId));
            return;
        }
        CompletableFuture<RestResponse> answered;
        java.time.Duration wait = java.time.Duration.ZERO;
        try {
            RestRequest request = request(context, operation);
            wait = operation.longPollWait(request);
            answered = operation.handler().apply(request);
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        // Past the bound the answer is ServiceUnavailable (503), which clients retry; the call runs its course.
        CompletableFuture<RestResponse> call = RequestBound.of(context).within(answered, wait, () -> {
            context.put(ApiCall.ERROR, SqsError.SERVICE_UNAVAILABLE.code());
            return RestErrors.of(SqsError.SERVICE_UNAVAILABLE, null, requestId);
        });
        Context vertxContext = context.vertx().getOrCreateContext();
        context.response().closeHandler(closed -> call.cancel(false));
        call.whenComplete((response, failure) -> vertxContext.runOnContext(ignored -> {
            if (failure instanceof CancellationException) {
                return;
            }
            ApiCall.answered(context, "rest", operation.operationId(), failure == null ? null : errorCode(failure));
            write(context, failure != null ? RestErrors.of(failure, requestId) : response);
        }));
    }

    /** The catalogue code of a failed operation, for the request meters. */
    private static String errorCode(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof SqsException sqs) {
            return sqs.error().code();
        }
        if (cause instanceof dev.sluice.clientsdk.SnsException sns) {
            return sns.error().code();
        }
        return SqsError.INTERNAL_ERROR.code();
    }

    /** The request with path and query decoded strictly by {@link RestUri} (Vert.x would replace bad UTF-8). */
    private static RestRequest request(RoutingContext context, RestOperation operation) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        context.request().headers().forEach(entry -> headers.computeIfAbsent(entry.getKey(),
                ignored -> new ArrayList<>()).add(entry.getValue()));
        Buffer body = context.body().buffer();
        String path = context.request().path();
        return new RestRequest(context.request().method().name(),
                RestUri.pathParameters(operation.path(), path.substring(PREFIX.length())),
                RestUri.query(context.request().query()), headers, body == null ? new byte[0] : body.getBytes(),
                NotifyRoutes.caller(context));
    }

    /** The answer to a failed request: what {@link RestUri} finds wrong, else a generic 400. */
    private static RestResponse malformed(RoutingContext context, String requestId) {
        try {
            RestUri.validate(context.request().path(), context.request().query());
        } catch (SqsException e) {
            return RestErrors.of(e, requestId);
        }
        return RestErrors.of(SqsError.INVALID_PARAMETER_VALUE, "The request could not be read.", requestId);
    }

    /** Failures before a handler ran: a body over the server's bound (413), a malformed request (400). */
    private void fail(RoutingContext context) {
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        String requestId = requestIds.get();
        RestResponse response = switch (context.statusCode()) {
            case 413 -> RestErrors.of(SqsError.REQUEST_ENTITY_TOO_LARGE, null, requestId);
            case 400 -> malformed(context, requestId);
            default -> RestErrors.of(context.failure() != null ? context.failure()
                    : new IllegalStateException("status " + context.statusCode()), requestId);
        };
        write(context, response);
    }

    private static void write(RoutingContext context, RestResponse response) {
        if (context.response().ended()) {
            return;
        }
        context.response().setStatusCode(response.status());
        if (response.contentType() != null) {
            context.response().putHeader("Content-Type", response.contentType());
        }
        response.headers().forEach(context.response()::putHeader);
        context.response().end(Buffer.buffer(response.body()));
    }
}
