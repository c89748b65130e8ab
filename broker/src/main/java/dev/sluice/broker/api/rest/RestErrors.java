package dev.sluice.broker.api.rest;

import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.notify.service.Overload;
import dev.sluice.raftstore.membership.ClusterChangeRefusedException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error format of the REST API: {@code {"code": "<SQS or SNS error code>", "message": "...",
 * "requestId": "..."}} with the error's HTTP status, except that a missing queue is a 404.
 * A request refused for now (a full proposal queue, no majority) is RequestThrottled or ServiceUnavailable, which
 * clients retry; unexpected exceptions are logged and answered as InternalError (500). Thread-safe.
 */
public final class RestErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RestErrors.class);

    private RestErrors() {
    }

    /** The JSON body of an error answer. */
    public record ErrorBody(String code, String message, String requestId) {
    }

    public static RestResponse of(Throwable failure, String requestId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof SqsException sqs) {
            return of(sqs.error().answered(), sqs.getMessage(), requestId);
        }
        if (cause instanceof ClusterChangeRefusedException refused) {
            return switch (refused.reason()) {
                case INVALID -> of(SqsError.INVALID_PARAMETER_VALUE, refused.getMessage(), requestId);
                case NOT_FOUND -> of(SqsError.RESOURCE_NOT_FOUND, refused.getMessage(), requestId).withStatus(404);
                case CONFLICT -> of(SqsError.CONFLICT, refused.getMessage(), requestId);
            };
        }
        if (cause instanceof dev.sluice.broker.accounts.AccountChangeRefusedException refused) {
            return switch (refused.reason()) {
                case INVALID -> of(SqsError.INVALID_PARAMETER_VALUE, refused.getMessage(), requestId);
                case NOT_FOUND -> of(SqsError.RESOURCE_NOT_FOUND, refused.getMessage(), requestId).withStatus(404);
                case CONFLICT -> of(SqsError.CONFLICT, refused.getMessage(), requestId);
            };
        }
        if (cause instanceof SnsException sns) {
            return RestResponse.json(sns.error().httpStatus(), new ErrorBody(sns.error().code(), sns.getMessage(), requestId));
        }
        if (cause instanceof BridgeException bridge) {
            // The function bridge's errors keep Lambda's exception names and statuses.
            return RestResponse.json(bridge.error().httpStatus(), new ErrorBody(bridge.error().code(), bridge.getMessage(), requestId));
        }
        if (Overload.isThrottled(cause)) {
            return of(SqsError.REQUEST_THROTTLED, null, requestId);
        }
        if (Overload.isUnavailable(cause)) {
            return of(SqsError.SERVICE_UNAVAILABLE, null, requestId);
        }
        LOG.warn("REST request {} failed unexpectedly", requestId, cause);
        return of(SqsError.INTERNAL_ERROR, null, requestId);
    }

    public static RestResponse of(SqsError error, String message, String requestId) {
        int status = error == SqsError.QUEUE_DOES_NOT_EXIST ? 404 : error.httpStatus();
        return RestResponse.json(status, new ErrorBody(error.code(), message == null ? error.defaultMessage() : message,
                requestId));
    }
}
