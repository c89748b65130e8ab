package dev.sluice.broker.api.rest;

import java.util.List;

/**
 * A group of REST operations under {@code /v1} (queues, topics, functions, ...). To add routes to the
 * API, implement this and add it to the list the composition root passes to
 * {@code api.http.RestRoutes}: the routes are mounted, answer errors in the one JSON format, and
 * appear in {@code /v1/openapi.json} (a test checks that every mounted {@code /v1} route is there).
 * Modules below broker (notify, faas-bridge) cannot see this type: they expose plain handlers, and a
 * small broker-side resource adapts them. Operations answer asynchronously and must not block.
 */
public interface RestResource {

    /** The OpenAPI tag of these operations, e.g. {@code queues}. */
    String tag();

    List<RestOperation> operations();
}
