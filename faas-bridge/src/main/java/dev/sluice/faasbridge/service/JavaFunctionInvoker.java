package dev.sluice.faasbridge.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.function.SqsBatchResponse;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.function.SnsEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs in-process {@link FunctionHandler}s on a bounded pool: an SQS batch through
 * {@link FunctionHandler#handleRequest}, an SNS notification (parsed into {@link SnsEvent}) through
 * {@link FunctionHandler#handleSnsEvent}. The response goes through the same JSON rules as an HTTP function's; a handler running past the timeout is interrupted and the batch fails.
 */
final class JavaFunctionInvoker implements FunctionInvoker {
    private final Map<String, FunctionHandler> handlers;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final ObjectMapper json;

    JavaFunctionInvoker(Map<String, FunctionHandler> handlers, ExecutorService pool, ScheduledExecutorService timers,
            ObjectMapper json) {
        this.handlers = Map.copyOf(handlers);
        this.pool = pool;
        this.timers = timers;
        this.json = json;
    }

    boolean has(String handler) {
        return handlers.containsKey(handler);
    }

    @Override
    public CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event) {
        FunctionHandler handler = handlers.get(function.handler());
        if (handler == null) {
            return CompletableFuture.completedFuture(new InvocationOutcome.Failed("Runtime.HandlerNotFound",
                    "no FunctionHandler named " + function.handler() + " on this bridge's class path"));
        }
        CompletableFuture<InvocationOutcome> outcome = new CompletableFuture<>();
        Future<?> running;
        try {
            running = pool.submit(() -> outcome.complete(call(handler, event)));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new InvocationOutcome.Failed("Bridge.Stopped", "the bridge is stopping"));
        }
        timers.schedule(() -> {
            if (outcome.complete(new InvocationOutcome.Failed(TIMED_OUT,
                    "Task timed out after " + function.timeoutSeconds() + " seconds"))) {
                running.cancel(true);
            }
        }, function.timeoutSeconds(), TimeUnit.SECONDS);
        return outcome;
    }

    private InvocationOutcome call(FunctionHandler handler, FunctionEvent event) {
        try {
            if (event instanceof FunctionEvent.Sns sns) {
                handler.handleSnsEvent(json.readValue(sns.json(), SnsEvent.class));
                return new InvocationOutcome.Returned(null);
            }
            SqsBatchResponse response = handler.handleRequest(((FunctionEvent.Sqs) event).event());
            return new InvocationOutcome.Returned(response == null ? null : json.writeValueAsString(response));
        } catch (JsonProcessingException e) {
            return new InvocationOutcome.Failed("Runtime.MarshalError", e.getMessage());
        } catch (Exception | AssertionError | LinkageError e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new InvocationOutcome.Failed(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
    }
}
