/**
 * The REST API {@code /v1} without HTTP library types: operations ({@link dev.sluice.broker.api.rest.RestOperation})
 * grouped in resources, each a path template, its OpenAPI description and a handler from
 * {@link dev.sluice.broker.api.rest.RestRequest} to {@link dev.sluice.broker.api.rest.RestResponse}; the
 * queue and message resources over a {@code QueueClient}; the OpenAPI document; JSON errors with the
 * SQS codes. Imports service, client-sdk and Jackson; never Vert.x ({@code api.http.RestRoutes} mounts it).
 */
package dev.sluice.broker.api.rest;
