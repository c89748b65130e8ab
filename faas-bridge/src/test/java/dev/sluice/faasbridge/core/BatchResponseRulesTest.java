package dev.sluice.faasbridge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BatchResponseRulesTest {
    private static final Set<String> BATCH = Set.of("m1", "m2", "m3");

    private static BatchVerdict verdict(String payload) {
        return BatchResponseRules.verdict(new InvocationOutcome.Returned(payload), true, BATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "{}", "{\"batchItemFailures\":null}", "{\"batchItemFailures\":[]}",
            "{\"statusCode\":200}", "\"done\"", "42"})
    void completeSuccessResponses(String payload) {
        assertEquals(BatchVerdict.Kind.ALL_SUCCEEDED, verdict(payload).kind(), payload);
    }

    @Test
    void noPayloadAtAllIsSuccess() {
        assertEquals(BatchVerdict.Kind.ALL_SUCCEEDED, verdict(null).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "{\"batchItemFailures\":\"m1\"}",
            "{\"batchItemFailures\":[\"m1\"]}",
            "{\"batchItemFailures\":[{\"itemIdentifer\":\"m1\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":7}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"},{\"itemIdentifier\":\"not-in-batch\"}]}"})
    void completeFailureResponses(String payload) {
        assertEquals(BatchVerdict.Kind.ALL_FAILED, verdict(payload).kind(), payload);
    }

    @Test
    void listedMessagesAloneFail() {
        BatchVerdict verdict = verdict("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"},{\"itemIdentifier\":\"m3\"}]}");
        assertEquals(BatchVerdict.Kind.PARTIAL, verdict.kind());
        assertEquals(Set.of("m2", "m3"), verdict.failedMessageIds());
    }

    @Test
    void withoutReportBatchItemFailuresAnyReturnedPayloadSucceeds() {
        BatchVerdict verdict = BatchResponseRules.verdict(
                new InvocationOutcome.Returned("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}"), false, BATCH);
        assertEquals(BatchVerdict.Kind.ALL_SUCCEEDED, verdict.kind());
    }

    @Test
    void aFailedInvocationFailsTheWholeBatchEvenWithReportBatchItemFailures() {
        assertEquals(BatchVerdict.Kind.ALL_FAILED,
                BatchResponseRules.verdict(new InvocationOutcome.Failed("Boom", "x"), true, BATCH).kind());
    }

    @Test
    void httpAnswersThatMeanTheFunctionFailed() {
        assertEquals(InvocationOutcome.Failed.class, BatchResponseRules.fromHttp(500, null, "oops").getClass());
        assertEquals(InvocationOutcome.Failed.class, BatchResponseRules.fromHttp(200, "Unhandled", "{}").getClass());
        InvocationOutcome errorBody = BatchResponseRules.fromHttp(200, null, "{\"errorType\":\"ValueError\",\"errorMessage\":\"bad\"}");
        assertEquals(new InvocationOutcome.Failed("ValueError", "bad"), errorBody);
        assertEquals(new InvocationOutcome.Returned("{\"batchItemFailures\":[]}"),
                BatchResponseRules.fromHttp(200, null, "{\"batchItemFailures\":[]}"));
        assertEquals(new InvocationOutcome.Returned("not json"), BatchResponseRules.fromHttp(202, null, "not json"));
    }
}
