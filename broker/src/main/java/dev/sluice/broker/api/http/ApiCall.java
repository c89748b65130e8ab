package dev.sluice.broker.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * What a request was, for the request meters ({@code dev.sluice.broker.ops.ApiMeters}): the API that answered it, the
 * action or operation, and the error code of a failure, put on the routing context by the route that answers. Values
 * come from fixed catalogues (action enums, error catalogues, REST operation ids), never from the request's text, so
 * the meters' label sets stay bounded. notify's SNS routes put the same keys.
 */
public final class ApiCall {
    public static final String API = "sluice.api";
    public static final String ACTION = "sluice.api.action";
    public static final String ERROR = "sluice.api.error";

    private ApiCall() {
    }

    /** Labels the request: {@code action} null for one naming no action we know, {@code errorCode} null on success. */
    public static void answered(RoutingContext context, String api, String action, String errorCode) {
        context.put(API, api);
        if (action != null) {
            context.put(ACTION, action);
        }
        if (errorCode != null) {
            context.put(ERROR, errorCode);
        }
    }
}
