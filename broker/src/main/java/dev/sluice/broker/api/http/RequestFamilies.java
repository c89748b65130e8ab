package dev.sluice.broker.api.http;

import dev.sluice.broker.quota.ApiFamily;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Which {@link ApiFamily} a request is counted in, read from what the routes will read without decoding the request:
 * the REST path, the SQS JSON {@code X-Amz-Target}, or the {@code Action} of a Query form (scanned in the raw bytes;
 * a form whose action is not spelled plainly, such as {@code %41ction=}, counts in its service's "other" family, which
 * is limited too). Allocates nothing for SDK-shaped requests (JSON target, or a POSTed form). Stateless.
 */
final class RequestFamilies {
    private static final String REST = RestRoutes.PREFIX + "/";
    private static final String QUEUES = REST + "queues/";
    private static final String TOPICS = REST + "topics";
    private static final String FUNCTIONS = REST + "function";
    private static final String MAPPINGS = REST + "event-source-mappings";
    private static final byte[] ACTION = "Action=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RequestFamilies() {
    }

    /**
     * @param signedForSns the request's signature is scoped to {@code sns} (SNS Query and SQS Query share {@code /})
     */
    static ApiFamily of(RoutingContext context, boolean signedForSns) {
        String path = context.normalizedPath();
        if (path.startsWith(REST)) {
            return rest(context.request().method(), path);
        }
        String target = context.request().getHeader("X-Amz-Target");
        if (target != null) {
            return target.equals("AmazonSQS.SendMessage") || target.equals("AmazonSQS.SendMessageBatch") ? ApiFamily.SQS_SEND
                    : target.equals("AmazonSQS.ReceiveMessage") ? ApiFamily.SQS_RECEIVE : ApiFamily.SQS_OTHER;
        }
        Buffer body = context.body() == null ? null : context.body().buffer();
        ApiFamily named = body == null || body.length() == 0 ? null : queryAction(body);
        if (named == null && context.request().query() != null) {
            named = queryAction(Buffer.buffer(context.request().query()));
        }
        if (named != null) {
            return named;
        }
        return signedForSns ? ApiFamily.SNS_OTHER : ApiFamily.SQS_OTHER;
    }

    private static ApiFamily rest(HttpMethod method, String path) {
        if (path.startsWith(QUEUES)) {
            if (path.endsWith("/messages") && method == HttpMethod.POST) {
                return ApiFamily.SQS_SEND;
            }
            if ((path.endsWith("/messages") || path.endsWith("/messages/next")) && method == HttpMethod.GET) {
                return ApiFamily.SQS_RECEIVE;
            }
            return ApiFamily.SQS_OTHER;
        }
        if (path.startsWith(TOPICS)) {
            return path.endsWith("/messages") && method == HttpMethod.POST ? ApiFamily.SNS_PUBLISH : ApiFamily.SNS_OTHER;
        }
        // /v1/functions and /v1/function-activity; the event source mappings.
        if (path.startsWith(FUNCTIONS) || path.startsWith(MAPPINGS)) {
            return ApiFamily.FUNCTIONS;
        }
        return ApiFamily.SQS_OTHER;
    }

    /** The family of the form's plain {@code Action=} value when it names a send, receive or publish; else null. */
    private static ApiFamily queryAction(Buffer form) {
        int length = form.length();
        for (int start = 0; start < length; start++) {
            if ((start == 0 || form.getByte(start - 1) == '&') && startsWith(form, start, ACTION)) {
                int value = start + ACTION.length;
                int end = value;
                while (end < length && form.getByte(end) != '&') {
                    end++;
                }
                return family(form, value, end);
            }
        }
        return null;
    }

    private static ApiFamily family(Buffer form, int from, int to) {
        if (equals(form, from, to, "SendMessage") || equals(form, from, to, "SendMessageBatch")) {
            return ApiFamily.SQS_SEND;
        }
        if (equals(form, from, to, "ReceiveMessage")) {
            return ApiFamily.SQS_RECEIVE;
        }
        if (equals(form, from, to, "Publish") || equals(form, from, to, "PublishBatch")) {
            return ApiFamily.SNS_PUBLISH;
        }
        return null;
    }

    private static boolean startsWith(Buffer form, int at, byte[] prefix) {
        if (at + prefix.length > form.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (form.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(Buffer form, int from, int to, String expected) {
        if (to - from != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (form.getByte(from + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
