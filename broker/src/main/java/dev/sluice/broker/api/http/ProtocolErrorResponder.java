package dev.sluice.broker.api.http;

import dev.sluice.broker.api.rest.RestErrors;
import dev.sluice.broker.api.rest.RestResponse;
import dev.sluice.broker.api.rest.RestUri;
import dev.sluice.broker.api.sqs.SqsErrorEncoder;
import dev.sluice.broker.api.sqs.SqsHttpRequest;
import dev.sluice.broker.api.sqs.SqsHttpResponse;
import dev.sluice.clientsdk.JsonProtocolCodec;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.notify.api.http.NotifyRoutes;
import dev.sluice.notify.api.sns.SnsEndpoint;
import dev.sluice.notify.api.sns.SnsHttpResponse;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers an error before any route has taken the request (authentication, a request Vert.x cannot match) in the
 * request's own protocol: REST {@code /v1} JSON, SNS XML, SQS JSON 1.0 or SQS Query XML, chosen as the routes would
 * choose. Runs on the event loop; thread-safe.
 */
public final class ProtocolErrorResponder {
    private final SqsErrorEncoder sqsErrors = new SqsErrorEncoder(new JsonProtocolCodec());
    private final Supplier<String> requestIds;

    public ProtocolErrorResponder(Supplier<String> requestIds) {
        this.requestIds = requestIds;
    }

    /**
     * Writes one error.
     *
     * @param rest the error for a REST {@code /v1} request
     * @param sqs the error for an SQS request (JSON 1.0 or Query)
     * @param sns the error for an SNS request
     * @param message the message, or null for the error's default
     * @param snsScoped the request's signature is scoped to {@code sns}, which makes it an SNS request unless it
     *     carries an {@code X-Amz-Target} (SQS JSON, as the routes read it)
     */
    public void respond(RoutingContext context, SqsError rest, SqsError sqs, SnsError sns, String message,
            boolean snsScoped) {
        respond(context, rest, 0, sqs, sns, message, snsScoped);
    }

    /**
     * As {@link #respond(RoutingContext, SqsError, SqsError, SnsError, String, boolean)}, the REST answer with
     * {@code restStatus} (0: the status {@link RestErrors} gives {@code rest}).
     */
    public void respond(RoutingContext context, SqsError rest, int restStatus, SqsError sqs, SnsError sns, String message,
            boolean snsScoped) {
        HttpServerRequest request = context.request();
        String requestId = requestIds.get();
        if (request.path().equals(RestRoutes.PREFIX) || request.path().startsWith(RestRoutes.PREFIX + "/")) {
            RestResponse response = RestErrors.of(rest, message, requestId);
            response = restStatus == 0 ? response : response.withStatus(restStatus);
            write(context, response.status(), response.contentType(), response.body());
            return;
        }
        if (request.getHeader("X-Amz-Target") == null && (snsScoped || isSns(context))) {
            SnsHttpResponse response = SnsEndpoint.errorResponse(sns, message, requestId);
            context.response().putHeader("x-amzn-RequestId", requestId);
            write(context, response.status(), SnsHttpResponse.CONTENT_TYPE, response.body());
            return;
        }
        SqsHttpResponse response = sqsErrors.encode(new SqsHttpRequest(request.method().name(),
                        request.getHeader("Content-Type"), request.getHeader("X-Amz-Target"), null, null, "", null, null)
                        .protocol(), sqs, message, requestId);
        response.headers().forEach(context.response()::putHeader);
        write(context, response.status(), response.contentType(), response.body());
    }

    /**
     * The router's one handler of unhandled 400s: Vert.x decodes the path while matching any route, and the query
     * while matching one with path parameters, and a malformed escape fails there, before every handler. Without
     * this Vert.x answers plain text and logs an ERROR; here it is a malformed query string in the request's
     * protocol, saying what {@link RestUri} finds wrong where it can.
     */
    public Handler<RoutingContext> badRequest() {
        return context -> {
            if (context.response().ended()) {
                return;
            }
            String message = "The request could not be read: check the percent-encoding of its path and query string.";
            try {
                RestUri.validate(context.request().path(), context.request().query());
            } catch (SqsException e) {
                message = e.getMessage();
            }
            respond(context, SqsError.INVALID_PARAMETER_VALUE, SqsError.MALFORMED_QUERY_STRING,
                    SnsError.MALFORMED_QUERY_STRING, message, false);
        };
    }

    /**
     * The router's handler of requests no route takes (404: no such path; 405: not with this method), e.g. a queue
     * URL with a trailing slash or {@code PUT /}: an error in the request's protocol instead of Vert.x's HTML page.
     */
    public Handler<RoutingContext> noRoute() {
        return context -> {
            if (context.response().ended()) {
                return;
            }
            String message = "Nothing answers " + context.request().method() + " at this path.";
            respond(context, SqsError.INVALID_ACTION, SqsError.INVALID_ADDRESS, SnsError.INVALID_ACTION, message, false);
        };
    }

    /**
     * The router's handler of a body over the server's bound (413) on a route that has no failure handler of its own
     * ({@code /health}, {@code /metrics}, the certificate): an error in the request's protocol instead of Vert.x's
     * plain text and an ERROR log line per request.
     */
    public Handler<RoutingContext> tooLarge(long maxBodyBytes) {
        return context -> {
            if (context.response().ended()) {
                return;
            }
            respond(context, SqsError.REQUEST_ENTITY_TOO_LARGE, SqsError.REQUEST_ENTITY_TOO_LARGE,
                    SnsError.INVALID_PARAMETER, "The request body is larger than " + maxBodyBytes + " bytes.", false);
        };
    }

    /**
     * A failure handler for the first route: a 404 or 405 with no exception (Vert.x's verdict on a request target it
     * cannot route, such as one without a leading slash) is answered as {@link #noRoute}; every other failure goes on
     * to the next failure handler.
     */
    public Handler<RoutingContext> unroutable() {
        Handler<RoutingContext> noRoute = noRoute();
        return context -> {
            if (context.failure() == null && (context.statusCode() == 404 || context.statusCode() == 405)) {
                noRoute.handle(context);
            } else {
                context.next();
            }
        };
    }

    /** An SNS Query request, as notify's routes decide: an SNS action or version, or a signature scoped to sns. */
    static boolean isSns(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.getHeader("X-Amz-Target") != null) {
            return false;
        }
        try {
            return SnsEndpoint.isSnsRequest(QueryParameters.ofRequest(request.query(), NotifyRoutes.formBody(context)),
                    request.getHeader("Authorization"));
        } catch (RuntimeException e) {
            // Unreadable or ambiguous parameters (a broken escape, Action given twice): SNS's routes answer such a
            // request in SNS's protocol when its raw query or form names an SNS action or version, so the refusal does too.
            byte[] body = NotifyRoutes.formBody(context);
            return SnsEndpoint.isSnsForm(request.query())
                    || body != null && SnsEndpoint.isSnsForm(new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    private static void write(RoutingContext context, int status, String contentType, byte[] body) {
        context.response().setStatusCode(status).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }
}
