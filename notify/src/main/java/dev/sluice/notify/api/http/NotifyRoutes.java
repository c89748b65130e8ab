package dev.sluice.notify.api.http;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.notify.api.sns.SnsEndpoint;
import dev.sluice.notify.api.sns.SnsHttpResponse;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.service.NotifyService;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Notify's routes. Mount them before the SQS routes: {@code POST /} and {@code GET /} take SNS requests
 * (see {@link SnsEndpoint#isSnsRequest}) and pass everything else on unchanged. Also
 * {@code GET /sns/SimpleNotificationService-sluice.pem} (the signing certificate). The REST routes of
 * topics ({@code /v1/topics/...}) are the broker's, beside the other {@code /v1} resources. Handlers run on the
 * event loop and never block; request bodies are already read by the server's body handler.
 */
public final class NotifyRoutes {
    /**
     * The routing-context key under which the server's authentication handler leaves the request's
     * {@link Caller}; absent (no authentication handler in front), the caller is anonymous.
     */
    public static final String CALLER = "sluice.caller";

    private final NotifyService service;
    private final SnsEndpoint endpoint;

    public NotifyRoutes(NotifyService service) {
        this.service = service;
        this.endpoint = new SnsEndpoint(service, () -> UUID.randomUUID().toString());
    }

    public void mount(Router router) {
        router.post("/").handler(this::query);
        router.get("/").handler(this::query);
        router.get(NotifyService.CERTIFICATE_PATH).handler(this::certificate);
    }

    private void query(RoutingContext context) {
        if (context.request().getHeader("X-Amz-Target") != null) {
            context.next();
            return;
        }
        QueryParameters parameters;
        try {
            parameters = QueryParameters.ofRequest(context.request().query(), formBody(context));
        } catch (RuntimeException e) {
            // Unreadable parameters (a broken escape, bytes that are not UTF-8): an SNS request gets SNS's error.
            if (SnsEndpoint.isSnsForm(context.request().query()) || SnsEndpoint.isSnsForm(rawForm(context))) {
                respond(context, CompletableFuture.completedFuture(endpoint.refuse(e)));
            } else {
                context.next();
            }
            return;
        }
        if (!SnsEndpoint.isSnsRequest(parameters, context.request().getHeader("Authorization"))) {
            context.next();
            return;
        }
        String action = parameters.string("Action");
        RequestBound bound = RequestBound.of(context);
        CompletableFuture<SnsHttpResponse> answer = bound.within(endpoint.handle(parameters, caller(context)),
                java.time.Duration.ZERO, () -> SnsEndpoint.errorResponse(SnsError.SERVICE_UNAVAILABLE, null,
                        UUID.randomUUID().toString()));
        respond(context, answer.thenApply(response -> {
            // The broker's request meters read these keys (its ApiCall); an action SNS does not know is no label value.
            boolean known = !SnsError.INVALID_ACTION.code().equals(response.errorCode())
                    && !SnsError.MISSING_ACTION.code().equals(response.errorCode());
            context.put("sluice.api", "sns");
            if (known && action != null) {
                context.put("sluice.api.action", action);
            }
            if (response.errorCode() != null) {
                context.put("sluice.api.error", response.errorCode());
            }
            return response;
        }));
    }

    private static String rawForm(RoutingContext context) {
        byte[] body = formBody(context);
        return body == null ? null : new String(body, StandardCharsets.ISO_8859_1);
    }

    /**
     * The body's octets, read as a form whatever its Content-Type (as SQS's Query decoder reads it): clients such as
     * the AWS SDK for Java v1 do not sign Content-Type, so it must not decide which parameters a request has.
     */
    public static byte[] formBody(RoutingContext context) {
        Buffer body = context.body() == null ? null : context.body().buffer();
        return body == null ? null : body.getBytes();
    }

    /** The caller the authentication handler established, else an anonymous one at the peer's address. */
    public static Caller caller(RoutingContext context) {
        Caller caller = context.get(CALLER);
        if (caller != null) {
            return caller;
        }
        return Caller.anonymous(context.request().remoteAddress() == null ? null
                : context.request().remoteAddress().hostAddress());
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
}
