package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/openapi.json} against the routes the server really mounted: every {@code /v1} route is
 * documented and every documented operation is mounted, so a route added under {@code /v1} without
 * going through a RestResource fails here. Also checks the document's own consistency.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenApiIT {

    @Test
    void theDocumentDescribesExactlyTheMountedV1Routes(@TempDir Path data) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data); RestClient rest = new RestClient(server.port())) {
            RestClient.Answer answer = rest.get("/v1/openapi.json");
            assertEquals(200, answer.status());
            assertEquals("application/json", answer.contentType());
            JsonObject document = answer.json();
            assertTrue(document.getString("openapi").startsWith("3."));

            Set<String> documented = new TreeSet<>();
            Set<String> operationIds = new HashSet<>();
            JsonObject paths = document.getJsonObject("paths");
            for (String path : paths.fieldNames()) {
                JsonObject operations = paths.getJsonObject(path);
                for (String method : operations.fieldNames()) {
                    documented.add(method.toUpperCase() + " /v1" + path);
                    JsonObject operation = operations.getJsonObject(method);
                    assertTrue(operationIds.add(operation.getString("operationId")), "unique operationId " + path);
                    checkOperation(path, operation);
                }
            }
            documented.add("GET /v1/openapi.json");

            Set<String> mounted = new TreeSet<>();
            for (String route : server.sluice().routes()) {
                String path = route.substring(route.indexOf(' ') + 1);
                // The catch-all that answers unknown /v1 paths with a JSON 404 is not an operation.
                if (path.startsWith("/v1/") && !route.equals("* /v1/")) {
                    mounted.add(route.replaceAll(":([A-Za-z0-9]+)", "{$1}"));
                }
            }
            assertFalse(mounted.isEmpty());
            assertEquals(mounted, documented);
        }
    }

    /** Every path parameter of the template is declared; every answer is described; errors use the Error schema. */
    private static void checkOperation(String path, JsonObject operation) {
        Set<String> declared = new HashSet<>();
        for (Object parameter : operation.getJsonArray("parameters")) {
            JsonObject p = (JsonObject) parameter;
            assertTrue(List.of("path", "query", "header").contains(p.getString("in")), p.encode());
            if (p.getString("in").equals("path")) {
                declared.add(p.getString("name"));
                assertTrue(p.getBoolean("required"), p.encode());
            }
        }
        Set<String> inTemplate = new HashSet<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        while (matcher.find()) {
            inTemplate.add(matcher.group(1));
        }
        assertEquals(inTemplate, declared, path);
        JsonObject responses = operation.getJsonObject("responses");
        assertTrue(responses.fieldNames().stream().anyMatch(status -> status.startsWith("2")), path);
        for (String status : responses.fieldNames()) {
            if (status.startsWith("4") || status.startsWith("5")) {
                assertEquals("#/components/schemas/Error", responses.getJsonObject(status).getJsonObject("content")
                        .getJsonObject("application/json").getJsonObject("schema").getString("$ref"), path + " " + status);
            }
        }
    }
}
