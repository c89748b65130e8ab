package dev.sluice.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of functions and event source mappings, through a plain HTTP client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    static BridgeTestServer sluice;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data);
        sluice.createQueue("api-queue", Map.of("VisibilityTimeout", "30"));
        sluice.createQueue("api-short", Map.of("VisibilityTimeout", "5"));
        assertEquals(201, sluice.post("/v1/functions", "{\"FunctionName\":\"api-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/x\",\"Timeout\":10}")
                .statusCode());
    }

    @AfterAll
    static void stopServer() {
        sluice.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String messagePart) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(type, json(response).get("code").asText(), "the REST API's error format with Lambda's exception name");
        assertTrue(json(response).hasNonNull("requestId"));
        assertTrue(json(response).get("message").asText().contains(messagePart), response.body());
    }

    private static HttpResponse<String> createMapping(String fields) throws Exception {
        return sluice.post("/v1/event-source-mappings", "{" + fields + "}");
    }

    @Test
    void functionsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
        HttpResponse<String> created = sluice.post("/v1/functions", "{\"FunctionName\":\"crud-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/y\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(3, json(created).get("Timeout").asInt(), "Lambda's default timeout");
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:crud-fn", json(created).get("FunctionArn").asText());
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"crud-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/y\"}"), 409,
                "ResourceConflictException", "crud-fn");
        assertEquals(7, json(sluice.rest.put("/v1/functions/crud-fn", "{\"Timeout\":7}")).get("Timeout").asInt());
        assertEquals(7, json(sluice.rest.get("/v1/functions/crud-fn")).get("Timeout").asInt());
        assertTrue(sluice.rest.get("/v1/functions").body().contains("\"crud-fn\""));
        assertEquals(204, sluice.rest.delete("/v1/functions/crud-fn").statusCode());
        assertError(sluice.rest.get("/v1/functions/crud-fn"), 404, "ResourceNotFoundException", "crud-fn");
    }

    @Test
    void functionRequestsAreValidated() throws Exception {
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"x y\",\"InvokeUrl\":\"http://h/\"}"), 400,
                "InvalidParameterValueException", "FunctionName");
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"both\",\"InvokeUrl\":\"http://h/\",\"Handler\":\"h\"}"), 400,
                "InvalidParameterValueException", "Exactly one of InvokeUrl and Handler");
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"nohandler\",\"Handler\":\"missing\"}"), 400,
                "InvalidParameterValueException", "No FunctionHandler named missing");
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"t\",\"InvokeUrl\":\"http://h/\",\"Timeout\":901}"), 400,
                "InvalidParameterValueException", "Timeout must be between 1 and 900");
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"t\",\"InvokeUrl\":\"http://h/\",\"Timeout\":\"3\"}"), 400,
                "InvalidRequestContentException", "Timeout must be an integer");
        assertError(sluice.post("/v1/functions", "{\"FunctionName\":\"t\",\"Url\":\"http://h/\"}"), 400,
                "InvalidRequestContentException", "Unknown field Url");
        assertError(sluice.post("/v1/functions", "{not json"), 400, "InvalidRequestContentException", "not valid JSON");
    }

    @Test
    void mappingsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
        HttpResponse<String> created = createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"" + sluice.queueArn("api-queue")
                + "\",\"BatchSize\":100,\"MaximumBatchingWindowInSeconds\":3,\"ScalingConfig\":{\"MaximumConcurrency\":5},"
                + "\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"],\"Enabled\":false");
        assertEquals(202, created.statusCode(), created.body());
        JsonNode mapping = json(created);
        String uuid = mapping.get("UUID").asText();
        assertEquals(100, mapping.get("BatchSize").asInt());
        assertEquals(3, mapping.get("MaximumBatchingWindowInSeconds").asInt());
        assertEquals(5, mapping.get("ScalingConfig").get("MaximumConcurrency").asInt());
        assertEquals("ReportBatchItemFailures", mapping.get("FunctionResponseTypes").get(0).asText());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:api-fn", mapping.get("FunctionArn").asText());

        JsonNode read = json(sluice.rest.get("/v1/event-source-mappings/" + uuid));
        assertEquals("Disabled", read.get("State").asText());
        HttpResponse<String> updated = sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"BatchSize\":7,\"Enabled\":true}");
        assertEquals(202, updated.statusCode(), updated.body());
        read = json(sluice.rest.get("/v1/event-source-mappings/" + uuid));
        assertEquals(7, read.get("BatchSize").asInt());
        assertEquals(5, read.get("ScalingConfig").get("MaximumConcurrency").asInt(), "unchanged fields stay");
        assertEquals("Enabled", read.get("State").asText());
        BridgeTestServer.await(() -> sluice.server.bridge().pollers(uuid) >= 1, Duration.ofSeconds(10), "pollers for the enabled mapping");

        assertError(createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"" + sluice.queueArn("api-queue") + "\""), 409,
                "ResourceConflictException", uuid);
        assertTrue(sluice.rest.get("/v1/event-source-mappings?FunctionName=api-fn").body().contains(uuid));
        assertEquals("{\"EventSourceMappings\":[]}", sluice.rest.get("/v1/event-source-mappings?FunctionName=other").body());
        HttpResponse<String> deleted = sluice.rest.delete("/v1/event-source-mappings/" + uuid);
        assertEquals(202, deleted.statusCode());
        assertEquals("Deleting", json(deleted).get("State").asText());
        assertError(sluice.rest.get("/v1/event-source-mappings/" + uuid), 404, "ResourceNotFoundException", uuid);
        BridgeTestServer.await(() -> sluice.server.bridge().pollers(uuid) == 0, Duration.ofSeconds(10), "pollers to stop");
    }

    @Test
    void anUpdateCannotMoveAMappingToAFunctionAlreadyMappedToItsQueue() throws Exception {
        sluice.createQueue("api-shared", Map.of("VisibilityTimeout", "30"));
        assertEquals(201, sluice.post("/v1/functions", "{\"FunctionName\":\"mover-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/m\"}")
                .statusCode());
        String queue = "\"EventSourceArn\":\"" + sluice.queueArn("api-shared") + "\",\"Enabled\":false";
        String taken = json(createMapping("\"FunctionName\":\"api-fn\"," + queue)).get("UUID").asText();
        String moving = json(createMapping("\"FunctionName\":\"mover-fn\"," + queue)).get("UUID").asText();

        assertError(sluice.rest.put("/v1/event-source-mappings/" + moving, "{\"FunctionName\":\"api-fn\"}"), 409,
                "ResourceConflictException", taken);
        assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + moving, "{\"BatchSize\":5}").statusCode(),
                "an update that keeps the function is no conflict with itself");
        assertEquals(202, sluice.rest.delete("/v1/event-source-mappings/" + taken).statusCode());
        assertEquals(202, sluice.rest.delete("/v1/event-source-mappings/" + moving).statusCode());
    }

    @Test
    void mappingRequestsAreValidatedWithLambdasErrors() throws Exception {
        String queue = "\"EventSourceArn\":\"" + sluice.queueArn("api-queue") + "\"";
        assertError(createMapping("\"FunctionName\":\"nope\"," + queue), 404, "ResourceNotFoundException", "Function not found");
        assertError(createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"" + sluice.queueArn("no-such-queue") + "\""), 400,
                "InvalidParameterValueException", "does not exist");
        assertError(createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"" + sluice.queueArn("api-short") + "\""), 400,
                "InvalidParameterValueException", "Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"BatchSize\":0"), 400,
                "InvalidParameterValueException", "BatchSize must be between 1 and 10000");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"BatchSize\":20"), 400,
                "InvalidParameterValueException", "MaximumBatchingWindowInSeconds must be at least 1");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"MaximumBatchingWindowInSeconds\":301"), 400,
                "InvalidParameterValueException", "between 0 and 300");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"ScalingConfig\":{\"MaximumConcurrency\":1}"), 400,
                "InvalidParameterValueException", "between 2 and 1000");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"FunctionResponseTypes\":[\"All\"]"), 400,
                "InvalidParameterValueException", "ReportBatchItemFailures");
        assertError(createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:q.fifo\","
                + "\"BatchSize\":11,\"MaximumBatchingWindowInSeconds\":1"), 400, "InvalidParameterValueException", "FIFO");
        assertError(createMapping("\"FunctionName\":\"api-fn\",\"EventSourceArn\":\"not-an-arn\""), 400,
                "InvalidParameterValueException", "SQS queue ARN");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"BatchSize\":\"ten\""), 400,
                "InvalidRequestContentException", "BatchSize must be an integer");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"StartingPosition\":\"LATEST\""), 400,
                "InvalidRequestContentException", "Unknown field StartingPosition");
        assertError(createMapping("\"FunctionName\":\"api-fn\"," + queue + ",\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"{\\\"body\\\":\\\"x\\\"}\"}]}"),
                400, "InvalidParameterValueException", "Invalid filter pattern definition");
        assertError(sluice.rest.put("/v1/event-source-mappings/00000000-0000-0000-0000-000000000000", "{\"BatchSize\":5}"), 404,
                "ResourceNotFoundException", "event source mapping");
    }

    @Test
    void filterCriteriaNumbersBeyondDoubleRangeAreInvalidParameterValues() throws Exception {
        String queue = "\"EventSourceArn\":\"" + sluice.queueArn("api-queue") + "\"";
        for (String number : new String[] {"1e400", "-1e400", "1E309", "9".repeat(2000)}) {
            String pattern = "{\\\"body\\\":{\\\"n\\\":[{\\\"numeric\\\":[\\\">\\\"," + number + "]}]}}";
            HttpResponse<String> refused = createMapping("\"FunctionName\":\"api-fn\"," + queue
                    + ",\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"" + pattern + "\"}]}");
            assertError(refused, 400, "InvalidParameterValueException", "Invalid filter pattern definition");
            assertFalse(refused.body().contains("StreamReadConstraints"), refused.body());
        }
    }
}
