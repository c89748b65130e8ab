package dev.sluice.broker.api.rest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One REST operation: where it is, how OpenAPI describes it, and what answers it.
 *
 * @param method HTTP method, upper case
 * @param path the path template below {@code /v1}, OpenAPI style: {@code /queues/{name}/messages}
 * @param operationId a unique OpenAPI operation id
 * @param summary one line for the OpenAPI document
 * @param parameters query and header parameters (path parameters come from the template)
 * @param requestBody the request body's media type and description, or null for none
 * @param responses status code to description, the successful one(s) and the errors
 * @param handler answers a request; may complete exceptionally (errors are encoded by {@link RestErrors})
 */
public record RestOperation(String method, String path, String operationId, String summary,
        List<Parameter> parameters, Body requestBody, Map<Integer, String> responses,
        Function<RestRequest, CompletableFuture<RestResponse>> handler) {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    public RestOperation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        parameters = List.copyOf(parameters);
        responses = Map.copyOf(responses);
    }

    /**
     * {@code responses} plus the errors of every operation on a queue: 400 (invalid input), 403 (access denied; an
     * operation's own 403 is listed beside it) and 404 (no such queue).
     */
    public static Map<Integer, String> withQueueErrors(Map<Integer, String> responses) {
        Map<Integer, String> all = new java.util.LinkedHashMap<>();
        all.put(400, "invalid input (the SQS error code in the body)");
        all.put(403, "AccessDenied (the key's policies or the queue's Policy refuse the action)");
        all.put(404, "QueueDoesNotExist (also a queue of another account: REST names the caller's account's queues)");
        responses.forEach((status, meaning) -> all.merge(status, meaning, (common, own) -> own + "; or " + common));
        return all;
    }

    /**
     * True for the operator-only operations (see {@code api.http.RestRoutes}): those under {@code /admin/} show
     * Sluice's internals (internal queues); those under {@code /bridges} are the function bridges' membership,
     * which splits every mapping's MaximumConcurrency among the live bridges: only the service's own bridges,
     * run by the operator with an admin key, may join, leave or list it; {@code /cluster} shows the nodes' addresses
     * and the placement of every queue's group, internal ones included, and {@code /cluster/...} changes them; those
     * ending {@code /node} answer a node's share of every account's numbers to the node that sums them for a caller.
     */
    public boolean operatorOnly() {
        return path.startsWith("/admin/") || path.equals("/bridges") || path.startsWith("/bridges/")
                || path.equals("/cluster") || path.startsWith("/cluster/") || path.endsWith("/partitions") || path.endsWith("/migrate")
                || path.endsWith("/node");
    }

    /** The longest receive wait SQS allows, which a queue's default may also say. */
    private static final int MAX_WAIT_SECONDS = 20;

    /**
     * How long {@code request} may legitimately wait for messages, which {@code api.http.RestRoutes} adds to its bound
     * on waiting for the cluster: an operation that declares a {@code wait} query parameter long-polls for that many
     * seconds, or, given none (or none readable: the operation refuses it at once), up to its queue's default.
     */
    public java.time.Duration longPollWait(RestRequest request) {
        if (parameters.stream().noneMatch(parameter -> parameter.in().equals("query") && parameter.name().equals("wait"))) {
            return java.time.Duration.ZERO;
        }
        int seconds = MAX_WAIT_SECONDS;
        try {
            Integer given = RestParameters.integer(request.query("wait"), "wait");
            seconds = given == null ? MAX_WAIT_SECONDS : Math.max(0, Math.min(given, MAX_WAIT_SECONDS));
        } catch (RuntimeException unreadable) {
            // Refused by the operation itself, at once.
        }
        return java.time.Duration.ofSeconds(seconds);
    }

    /** The names of the path template's parameters, in order. */
    public List<String> pathParameterNames() {
        Matcher matcher = PATH_PARAMETER.matcher(path);
        List<String> names = new java.util.ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The path in Vert.x form ({@code /queues/:name}), without the {@code /v1} prefix. */
    public String routerPath() {
        return PATH_PARAMETER.matcher(path).replaceAll(":$1");
    }

    /**
     * A query or header parameter.
     *
     * @param in {@code query} or {@code header}
     * @param type the JSON schema type: {@code string} or {@code integer}
     */
    public record Parameter(String name, String in, String type, boolean required, String description) {
        public static Parameter query(String name, String type, String description) {
            return new Parameter(name, "query", type, false, description);
        }

        public static Parameter header(String name, String description) {
            return new Parameter(name, "header", "string", false, description);
        }
    }

    /** A request body: its media type and what it holds. */
    public record Body(String mediaType, String description, boolean required) {
    }
}
