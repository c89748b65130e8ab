package dev.sluice.broker.api.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OpenAPI 3.0 document of {@code /v1}, built from the mounted resources' operations, so the
 * document and the routes cannot drift apart. Every error answer has the {@code Error} schema.
 */
public final class OpenApiDocument {

    /** The path of the document itself, below {@code /v1}. */
    public static final String PATH = "/openapi.json";

    private OpenApiDocument() {
    }

    public static byte[] build(List<RestResource> resources, String version) {
        ObjectNode root = RestResponse.mapper().createObjectNode();
        root.put("openapi", "3.0.3");
        root.putObject("info").put("title", "Sluice REST API").put("version", version)
                .put("description", "Queues over plain HTTP: raw message bodies, JSON everywhere else, "
                        + "errors as {code, message, requestId} with the SQS API's error codes.");
        root.putArray("servers").addObject().put("url", "/v1");
        ArrayNode tags = root.putArray("tags");
        Map<String, ObjectNode> paths = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        for (RestResource resource : resources) {
            tags.addObject().put("name", resource.tag());
            for (RestOperation operation : resource.operations()) {
                if (!seen.add(operation.method() + " " + operation.path())) {
                    throw new IllegalStateException("two operations for " + operation.method() + " " + operation.path());
                }
                ObjectNode path = paths.computeIfAbsent(operation.path(), ignored -> RestResponse.mapper().createObjectNode());
                path.set(operation.method().toLowerCase(java.util.Locale.ROOT), describe(resource.tag(), operation));
            }
        }
        ObjectNode pathsNode = root.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode error = root.putObject("components").putObject("schemas").putObject("Error");
        error.put("type", "object").putArray("required").add("code").add("message");
        ObjectNode properties = error.putObject("properties");
        properties.putObject("code").put("type", "string").put("description", "the SQS error code, e.g. QueueDoesNotExist");
        properties.putObject("message").put("type", "string");
        properties.putObject("requestId").put("type", "string");
        try {
            return RestResponse.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the OpenAPI document", e);
        }
    }

    private static ObjectNode describe(String tag, RestOperation operation) {
        ObjectNode node = RestResponse.mapper().createObjectNode();
        node.putArray("tags").add(tag);
        node.put("operationId", operation.operationId()).put("summary", operation.summary());
        ArrayNode parameters = node.putArray("parameters");
        for (String name : operation.pathParameterNames()) {
            parameters.addObject().put("name", name).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        for (RestOperation.Parameter parameter : operation.parameters()) {
            parameters.addObject().put("name", parameter.name()).put("in", parameter.in())
                    .put("required", parameter.required()).put("description", parameter.description())
                    .putObject("schema").put("type", parameter.type());
        }
        if (operation.requestBody() != null) {
            ObjectNode body = node.putObject("requestBody").put("required", operation.requestBody().required())
                    .put("description", operation.requestBody().description());
            boolean json = operation.requestBody().mediaType().equals("application/json");
            ObjectNode schema = body.putObject("content").putObject(operation.requestBody().mediaType())
                    .putObject("schema").put("type", json ? "object" : "string");
            if (!json) {
                schema.put("format", "binary");
            }
        }
        ObjectNode responses = node.putObject("responses");
        new TreeMap<>(operation.responses()).forEach((status, description) -> {
            ObjectNode response = responses.putObject(Integer.toString(status)).put("description", description);
            if (status >= 400) {
                response.putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/Error");
            }
        });
        return node;
    }
}
