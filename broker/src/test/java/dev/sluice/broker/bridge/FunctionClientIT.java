package dev.sluice.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.LambdaException;
import dev.sluice.clientsdk.http.FunctionClient;
import dev.sluice.clientsdk.http.RetryPolicy;
import dev.sluice.clientsdk.lambda.EventSourceMappingConfiguration;
import dev.sluice.clientsdk.lambda.EventSourceMappingRequest;
import dev.sluice.clientsdk.lambda.FilterCriteria;
import dev.sluice.clientsdk.lambda.FunctionConfiguration;
import dev.sluice.clientsdk.lambda.FunctionRequest;
import dev.sluice.raftstore.testing.FreePorts;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** client-sdk's {@link FunctionClient} against a real server's REST API, and a mapping it makes feeding a real HTTP function. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionClientIT {
    @TempDir
    static Path data;
    static BridgeTestServer sluice;
    static FunctionClient functions;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data);
        functions = FunctionClient.builder().endpoint(URI.create("http://127.0.0.1:" + sluice.server.httpPort())).build();
        sluice.createQueue("client-queue", Map.of("VisibilityTimeout", "30"));
        sluice.createQueue("client-short", Map.of("VisibilityTimeout", "5"));
        await(functions.createFunction(FunctionRequest.http("client-fn", "http://127.0.0.1:9/x").withTimeout(10)));
    }

    @AfterAll
    static void stopServer() {
        sluice.close();
    }

    private static <T> T await(CompletableFuture<T> call) throws Exception {
        return call.get(20, TimeUnit.SECONDS);
    }

    /** The call's LambdaException, checked to carry {@code error}, a request id and {@code messagePart}. */
    private static LambdaException assertFails(LambdaError error, String messagePart, CompletableFuture<?> call) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
        LambdaException lambda = assertInstanceOf(LambdaException.class, failed.getCause());
        assertEquals(error, lambda.error(), lambda.getMessage());
        assertNotNull(lambda.requestId(), "the REST API's request id is kept");
        assertTrue(lambda.getMessage().contains(messagePart), lambda.getMessage());
        return lambda;
    }

    @Test
    void functionsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
        FunctionConfiguration created = await(functions.createFunction(FunctionRequest.http("crud-fn", "http://127.0.0.1:9/y")));
        assertEquals("crud-fn", created.functionName());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:crud-fn", created.functionArn());
        assertEquals(3, created.timeout(), "Lambda's default timeout");
        assertEquals("http://127.0.0.1:9/y", created.invokeUrl());
        assertNull(created.handler());
        assertNotNull(created.lastModified());
        assertFails(LambdaError.RESOURCE_CONFLICT, "crud-fn",
                functions.createFunction(FunctionRequest.http("crud-fn", "http://127.0.0.1:9/y")));

        FunctionConfiguration updated = await(functions.updateFunction("crud-fn", new FunctionRequest(null, null, null, 7, 4)));
        assertEquals(7, updated.timeout());
        assertEquals(4, updated.reservedConcurrentExecutions());
        assertEquals("http://127.0.0.1:9/y", updated.invokeUrl(), "fields left null stay");
        assertEquals(updated, await(functions.getFunction("crud-fn")));
        assertTrue(await(functions.listFunctions()).contains(updated));
        assertTrue(await(functions.listFunctions()).stream().anyMatch(fn -> fn.functionName().equals("client-fn")));

        assertNull(await(functions.deleteFunction("crud-fn")));
        assertFails(LambdaError.RESOURCE_NOT_FOUND, "crud-fn", functions.getFunction("crud-fn"));
        assertFails(LambdaError.RESOURCE_NOT_FOUND, "crud-fn", functions.deleteFunction("crud-fn"));
        assertFails(LambdaError.RESOURCE_NOT_FOUND, "crud-fn", functions.updateFunction("crud-fn", new FunctionRequest(null, null, null, 5, null)));
        assertTrue(await(functions.listFunctions()).stream().noneMatch(fn -> fn.functionName().equals("crud-fn")));
    }

    @Test
    void invalidFunctionsAreRefusedWithLambdasErrors() {
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "FunctionName", functions.createFunction(FunctionRequest.http("x y", "http://h/")));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "Exactly one of InvokeUrl and Handler",
                functions.createFunction(new FunctionRequest("both", "http://h/", "h", null, null)));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "Timeout must be between 1 and 900",
                functions.createFunction(FunctionRequest.http("slow", "http://h/").withTimeout(901)));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "No FunctionHandler named missing",
                functions.createFunction(new FunctionRequest("nohandler", null, "missing", null, null)));
    }

    @Test
    void mappingsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
        String pattern = "{\"body\":{\"severity\":[\"critical\"]}}";
        EventSourceMappingConfiguration created = await(functions.createEventSourceMapping(
                EventSourceMappingRequest.of("client-fn", sluice.queueArn("client-queue")).withBatchSize(100)
                        .withMaximumBatchingWindowInSeconds(3).withMaximumConcurrency(5).withReportBatchItemFailures()
                        .withFilterCriteria(FilterCriteria.of(pattern)).withEnabled(false)));
        String uuid = created.uuid();
        assertEquals(100, created.batchSize());
        assertEquals(3, created.maximumBatchingWindowInSeconds());
        assertEquals(5, created.scalingConfig().maximumConcurrency());
        assertEquals(List.of("ReportBatchItemFailures"), created.functionResponseTypes());
        assertEquals(pattern, created.filterCriteria().filters().get(0).pattern());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:client-fn", created.functionArn());
        assertEquals(sluice.queueArn("client-queue"), created.eventSourceArn());
        assertEquals("Creating", created.state(), "Lambda's state in a create's answer");
        assertTrue(created.lastModified() > 1.7e9, "epoch seconds: " + created.lastModified());
        EventSourceMappingConfiguration read = await(functions.getEventSourceMapping(uuid));
        assertEquals("Disabled", read.state());
        assertEquals(created.filterCriteria(), read.filterCriteria());
        assertEquals(created.lastModified(), read.lastModified());

        EventSourceMappingConfiguration updated = await(functions.updateEventSourceMapping(uuid,
                EventSourceMappingRequest.update().withBatchSize(7).withEnabled(true)));
        assertEquals(7, updated.batchSize());
        assertEquals(5, updated.scalingConfig().maximumConcurrency(), "fields left null stay");
        assertEquals("Updating", updated.state(), "Lambda's state in an update's answer");
        assertEquals("Enabled", await(functions.getEventSourceMapping(uuid)).state());
        assertEquals(List.of(uuid), await(functions.listEventSourceMappings("client-fn")).stream()
                .map(EventSourceMappingConfiguration::uuid).toList());
        assertTrue(await(functions.listEventSourceMappings()).stream().anyMatch(mapping -> mapping.uuid().equals(uuid)));
        assertEquals(List.of(), await(functions.listEventSourceMappings("other-fn")));
        assertFails(LambdaError.RESOURCE_CONFLICT, uuid, functions.createEventSourceMapping(
                EventSourceMappingRequest.of("client-fn", sluice.queueArn("client-queue"))));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "EventSourceArn cannot be changed", functions.updateEventSourceMapping(uuid,
                EventSourceMappingRequest.of(null, sluice.queueArn("client-short"))));

        EventSourceMappingConfiguration deleted = await(functions.deleteEventSourceMapping(uuid));
        assertEquals("Deleting", deleted.state());
        assertEquals(uuid, deleted.uuid());
        assertFails(LambdaError.RESOURCE_NOT_FOUND, uuid, functions.getEventSourceMapping(uuid));
        assertFails(LambdaError.RESOURCE_NOT_FOUND, uuid, functions.deleteEventSourceMapping(uuid));
        assertFails(LambdaError.RESOURCE_NOT_FOUND, "event source mapping",
                functions.updateEventSourceMapping(uuid, EventSourceMappingRequest.update().withBatchSize(5)));
    }

    @Test
    void invalidMappingsAreRefusedWithLambdasErrors() {
        String queue = sluice.queueArn("client-queue");
        assertFails(LambdaError.RESOURCE_NOT_FOUND, "Function not found",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("nope", queue)));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "does not exist",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("client-fn", sluice.queueArn("no-such-queue"))));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("client-fn", sluice.queueArn("client-short"))));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "BatchSize must be between 1 and 10000",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("client-fn", queue).withBatchSize(0)));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "between 2 and 1000",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("client-fn", queue).withMaximumConcurrency(1)));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "SQS queue ARN",
                functions.createEventSourceMapping(EventSourceMappingRequest.of("client-fn", "not-an-arn")));
        assertFails(LambdaError.INVALID_PARAMETER_VALUE, "Invalid filter pattern definition", functions.createEventSourceMapping(
                EventSourceMappingRequest.of("client-fn", queue).withFilterCriteria(FilterCriteria.of("{\"body\":\"x\"}"))));
    }

    @Test
    void aMappingMadeThroughTheClientFeedsARealHttpFunction() throws Exception {
        String queue = sluice.createQueue("client-delivery", Map.of());
        try (FunctionServer function = new FunctionServer()) {
            await(functions.createFunction(FunctionRequest.http("delivery-fn", function.url()).withTimeout(3)));
            EventSourceMappingConfiguration mapping = await(functions.createEventSourceMapping(
                    EventSourceMappingRequest.of("delivery-fn", sluice.queueArn("client-delivery")).withBatchSize(5)
                            .withReportBatchItemFailures()));
            for (int i = 0; i < 8; i++) {
                int n = i;
                sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("c" + n));
            }
            BridgeTestServer.await(() -> new TreeSet<>(function.bodies()).size() == 8, Duration.ofSeconds(20), "every message invoked");
            assertEquals(new TreeSet<>(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7")), new TreeSet<>(function.bodies()));
            assertEquals(sluice.queueArn("client-delivery"),
                    function.events().get(0).get("Records").get(0).get("eventSourceARN").asText());
            sluice.awaitEmpty(queue);
            await(functions.deleteEventSourceMapping(mapping.uuid()));
        }
    }

    @Test
    void anUnreachableServerFailsWithTheConnectionError() {
        FunctionClient nowhere = FunctionClient.builder().endpoint(URI.create("http://127.0.0.1:" + FreePorts.next()))
                .retryPolicy(RetryPolicy.none()).build();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> nowhere.listFunctions().get(20, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, failed.getCause());
    }
}
