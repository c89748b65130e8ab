package dev.sluice.faasbridge.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.core.BatchResponseRules;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.core.FunctionEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * POSTs the event as JSON to the function's invoke URL (an SNS event's JSON exactly as notify built it)
 * and reads the answer with {@link BatchResponseRules#fromHttp}. The request is abandoned when the function's timeout passes.
 */
final class HttpFunctionInvoker implements FunctionInvoker {
    static final String FUNCTION_ERROR_HEADER = "X-Amz-Function-Error";

    private final WebClient client;
    private final ObjectMapper json;

    HttpFunctionInvoker(WebClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event) {
        byte[] body;
        try {
            body = event instanceof FunctionEvent.Sns sns ? sns.json().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : json.writeValueAsBytes(((FunctionEvent.Sqs) event).event());
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new InvocationOutcome.Failed("Bridge.EventEncoding", e.getMessage()));
        }
        long timeoutMillis = TimeUnit.SECONDS.toMillis(function.timeoutSeconds());
        CompletableFuture<InvocationOutcome> outcome = client.postAbs(function.invokeUrl())
                .putHeader("Content-Type", "application/json")
                .timeout(timeoutMillis)
                .sendBuffer(Buffer.buffer(body))
                .map(response -> BatchResponseRules.fromHttp(response.statusCode(), response.getHeader(FUNCTION_ERROR_HEADER),
                        response.bodyAsString()))
                .toCompletionStage().toCompletableFuture();
        return outcome.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((result, error) -> {
            if (error == null) {
                return result;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            // Ours (orTimeout) or Vert.x's request timeout, which has the same length.
            if (cause instanceof java.util.concurrent.TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return new InvocationOutcome.Failed(TIMED_OUT, "Task timed out after " + function.timeoutSeconds() + " seconds");
            }
            return new InvocationOutcome.Failed("Bridge.InvokeFailed", String.valueOf(cause.getMessage()));
        });
    }
}
