package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventSourceMappingTest {
    private static final String STANDARD = "arn:aws:sqs:us-east-1:000000000000:alerts";
    private static final String FIFO = "arn:aws:sqs:us-east-1:000000000000:alerts.fifo";

    private static MappingRequest request(String arn, Integer batchSize, Integer window, Integer concurrency, List<String> types) {
        return new MappingRequest("fn", arn, batchSize, window, concurrency, types, null, null);
    }

    private static String refused(MappingRequest request) {
        BridgeException e = assertThrows(BridgeException.class, () -> request.create("u", 0));
        assertEquals(LambdaError.INVALID_PARAMETER_VALUE, e.error());
        return e.getMessage();
    }

    @Test
    void lambdaDefaultsApply() {
        EventSourceMapping mapping = request(STANDARD, null, null, null, null).create("u", 5);
        assertEquals(10, mapping.batchSize());
        assertEquals(0, mapping.maximumBatchingWindowSeconds());
        assertEquals(null, mapping.maximumConcurrency());
        assertTrue(mapping.enabled());
        assertEquals(List.of(), mapping.functionResponseTypes());
    }

    @Test
    void batchSizeRangesDependOnTheQueueKind() {
        assertTrue(refused(request(STANDARD, 0, null, null, null)).contains("BatchSize must be between 1 and 10000"));
        assertTrue(refused(request(STANDARD, 10_001, 1, null, null)).contains("BatchSize"));
        assertEquals(10_000, request(STANDARD, 10_000, 1, null, null).create("u", 0).batchSize());
        assertTrue(refused(request(FIFO, 11, null, null, null)).contains("between 1 and 10 for FIFO"));
        assertEquals(10, request(FIFO, 10, null, null, null).create("u", 0).batchSize());
    }

    @Test
    void batchesOverTenNeedABatchingWindow() {
        assertTrue(refused(request(STANDARD, 11, null, null, null)).contains("at least 1 when BatchSize is greater than 10"));
        assertEquals(11, request(STANDARD, 11, 1, null, null).create("u", 0).batchSize());
    }

    @Test
    void batchingWindowRange() {
        assertTrue(refused(request(STANDARD, null, -1, null, null)).contains("between 0 and 300"));
        assertTrue(refused(request(STANDARD, null, 301, null, null)).contains("between 0 and 300"));
        assertEquals(300, request(STANDARD, null, 300, null, null).create("u", 0).maximumBatchingWindowSeconds());
        assertTrue(refused(request(FIFO, null, 1, null, null)).contains("not supported for FIFO"));
    }

    @Test
    void maximumConcurrencyRange() {
        assertTrue(refused(request(STANDARD, null, null, 1, null)).contains("between 2 and 1000"));
        assertTrue(refused(request(STANDARD, null, null, 1001, null)).contains("between 2 and 1000"));
        assertEquals(2, request(STANDARD, null, null, 2, null).create("u", 0).maximumConcurrency());
    }

    @Test
    void functionResponseTypesHoldOnlyReportBatchItemFailures() {
        assertTrue(refused(request(STANDARD, null, null, null, List.of("Everything"))).contains("ReportBatchItemFailures"));
        assertTrue(request(STANDARD, null, null, null, List.of("ReportBatchItemFailures")).create("u", 0).reportBatchItemFailures());
    }

    @Test
    void theEventSourceMustBeAnSqsArn() {
        assertTrue(refused(request("arn:aws:sns:us-east-1:000000000000:t", null, null, null, null)).contains("SQS queue ARN"));
        assertTrue(refused(request(null, null, null, null, null)).contains("EventSourceArn is required"));
    }

    @Test
    void atMostFiveFilters() {
        MappingRequest six = new MappingRequest("fn", STANDARD, null, null, null, null, List.of("{}", "{}", "{}", "{}", "{}", "{}"), null);
        assertTrue(refused(six).contains("at most 5 filters"));
    }

    @Test
    void anUpdateChangesOnlyTheGivenFieldsAndNeverTheQueue() {
        EventSourceMapping current = request(STANDARD, 5, null, 3, List.of("ReportBatchItemFailures")).create("u", 0);
        EventSourceMapping updated = new MappingRequest(null, null, null, null, null, null, null, false).update(current, 9);
        assertEquals(5, updated.batchSize());
        assertEquals(3, updated.maximumConcurrency());
        assertTrue(updated.reportBatchItemFailures());
        assertEquals(false, updated.enabled());
        BridgeException e = assertThrows(BridgeException.class,
                () -> new MappingRequest(null, FIFO, null, null, null, null, null, null).update(current, 9));
        assertTrue(e.getMessage().contains("cannot be changed"));
    }

    @Test
    void theQueueVisibilityTimeoutMustCoverTheFunctionTimeout() {
        FunctionDefinition function = new FunctionDefinition("fn", "http://127.0.0.1:1/x", null, 60, null, 0);
        BridgeException e = assertThrows(BridgeException.class, () -> MappingChecks.visibilityCoversTimeout(30, function));
        assertEquals("Invalid parameter: Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds", e.getMessage());
        MappingChecks.visibilityCoversTimeout(60, function);
    }

    @Test
    void functionRules() {
        assertThrows(BridgeException.class, () -> new FunctionDefinition("bad name", "http://h/x", null, 3, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", null, null, 3, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", "http://h/x", "handler", 3, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", "ftp://h/x", null, 3, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", "http://h/x", null, 0, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", "http://h/x", null, 901, null, 0));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("fn", "http://h/x", null, 3, 0, 0));
        assertEquals(3, new FunctionRequest("fn", "http://h/x", null, null, null).create(0).timeoutSeconds());
    }
}
