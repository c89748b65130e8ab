package dev.sluice.notify.api.http;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.notify.api.sns.SnsEndpoint;
import dev.sluice.notify.api.sns.SnsHttpResponse;
import dev.sluice.notify.service.NotifyService;
import dev.sluice.notify.service.PublishActions;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Notify's routes. Mount them before the SQS routes: {@code POST /} and {@code GET /} take SNS requests
 * (see {@link SnsEndpoint#isSnsRequest}) and pass everything else on unchanged. Also
 * {@code GET /sns/SimpleNotificationService-sluice.pem} (the signing certificate) and
 * {@code POST /v1/topics/{name}/messages}, which publishes the raw request body, and
 * {@code GET /v1/admin/internal-queues}, the internal queues' depth for operators. Handlers run on the
 * event loop and never block; request bodies are already read by the server's body handler.
 */
public final class NotifyRoutes {
    private final NotifyService service;
    private final SnsEndpoint endpoint;
    private final String region;
    private final String accountId;

    public NotifyRoutes(NotifyService service, String region, String accountId) {
        this.service = service;
        this.endpoint = new SnsEndpoint(service, () -> UUID.randomUUID().toString());
        this.region = region;
        this.accountId = accountId;
    }

    public void mount(Router router) {
        router.post("/").handler(this::query);
        router.get("/").handler(this::query);
        router.get(NotifyService.CERTIFICATE_PATH).handler(this::certificate);
        router.post("/v1/topics/:name/messages").handler(this::restPublish);
        router.get(INTERNAL_QUEUES_PATH).handler(this::internalQueues);
    }

    /** Operators' view of the internal queues' depth (JSON: queue name to its approximate counts). */
    public static final String INTERNAL_QUEUES_PATH = "/v1/admin/internal-queues";

    private void internalQueues(RoutingContext context) {
        Context vertxContext = context.vertx().getOrCreateContext();
        service.internalQueueDepths().whenComplete((depths, failure) -> vertxContext.runOnContext(ignored -> {
            if (failure != null) {
                context.response().setStatusCode(503).end();
                return;
            }
            JsonObject body = new JsonObject();
            depths.forEach((name, attributes) -> body.put(name, new JsonObject(new java.util.LinkedHashMap<>(attributes))));
            context.response().putHeader("Content-Type", "application/json").end(body.encode());
        }));
    }

    private void query(RoutingContext context) {
        if (context.request().getHeader("X-Amz-Target") != null) {
            context.next();
            return;
        }
        QueryParameters parameters;
        try {
            parameters = QueryParameters.parse(context.request().query());
            String contentType = context.request().getHeader("Content-Type");
            Buffer body = context.body().buffer();
            if (body != null && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
                parameters = QueryParameters.parse(body.toString(StandardCharsets.UTF_8)).with(parameters);
            }
        } catch (RuntimeException e) {
            context.next();
            return;
        }
        if (!SnsEndpoint.isSnsRequest(parameters, context.request().getHeader("Authorization"))) {
            context.next();
            return;
        }
        respond(context, endpoint.handle(parameters));
    }

    private void respond(RoutingContext context, CompletableFuture<SnsHttpResponse> answer) {
        Context vertxContext = context.vertx().getOrCreateContext();
        answer.whenComplete((response, failure) -> vertxContext.runOnContext(ignored -> {
            if (context.response().ended()) {
                return;
            }
            context.response().setStatusCode(response.status()).putHeader("Content-Type", SnsHttpResponse.CONTENT_TYPE)
                    .end(Buffer.buffer(response.body()));
        }));
    }

    private void certificate(RoutingContext context) {
        Context vertxContext = context.vertx().getOrCreateContext();
        service.certificatePem().whenComplete((pem, failure) -> vertxContext.runOnContext(ignored -> {
            if (failure != null) {
                context.response().setStatusCode(503).end();
            } else {
                context.response().putHeader("Content-Type", "application/x-pem-file").end(pem);
            }
        }));
    }

    /**
     * Publishes the body as the message, without attributes; optional query parameters {@code subject} and,
     * for FIFO topics, {@code messageGroupId} and {@code messageDeduplicationId}.
     */
    private void restPublish(RoutingContext context) {
        Buffer body = context.body().buffer();
        String topicArn = "arn:aws:sns:" + region + ":" + accountId + ":" + context.pathParam("name");
        PublishActions.Entry entry = new PublishActions.Entry(null, body == null ? "" : body.toString(StandardCharsets.UTF_8),
                context.request().getParam("subject"), null, Map.of(), context.request().getParam("messageGroupId"),
                context.request().getParam("messageDeduplicationId"));
        Context vertxContext = context.vertx().getOrCreateContext();
        service.publishing().publish(topicArn, entry).whenComplete((published, failure) -> vertxContext.runOnContext(ignored -> {
            if (failure == null) {
                context.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("MessageId", published.messageId()).encode());
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            SnsError error = cause instanceof SnsException sns ? sns.error() : SnsError.INTERNAL_ERROR;
            context.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("code", error.code())
                            .put("message", cause instanceof SnsException ? cause.getMessage() : error.defaultMessage()).encode());
        }));
    }
}
