package dev.sluice.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.http.FunctionClient;
import dev.sluice.clientsdk.lambda.FunctionConfiguration;
import dev.sluice.clientsdk.lambda.FunctionRequest;
import dev.sluice.clientsdk.LambdaException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent UpdateFunctionConfiguration calls through the REST API: none is lost, none recreates a deleted function. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FunctionConcurrentUpdatesIT {
    @TempDir
    static Path data;
    static BridgeTestServer sluice;
    static FunctionClient functions;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data);
        functions = FunctionClient.builder().endpoint(URI.create("http://127.0.0.1:" + sluice.server.httpPort())).build();
    }

    @AfterAll
    static void stopServer() {
        sluice.close();
    }

    @Test
    void concurrentUpdatesOfDistinctFieldsAllSurvive() throws Exception {
        for (int round = 0; round < 8; round++) {
            String name = "busy-fn-" + round;
            functions.createFunction(FunctionRequest.http(name, "http://127.0.0.1:9/a")).get(20, TimeUnit.SECONDS);
            List<CompletableFuture<FunctionConfiguration>> calls = List.of(
                    functions.updateFunction(name, new FunctionRequest(null, null, null, 17, null)),
                    functions.updateFunction(name, new FunctionRequest(null, null, null, null, 7)),
                    functions.updateFunction(name, new FunctionRequest(null, "http://127.0.0.1:9/b", null, null, null)));
            for (CompletableFuture<FunctionConfiguration> call : calls) {
                call.get(20, TimeUnit.SECONDS);
            }
            FunctionConfiguration stored = functions.getFunction(name).get(20, TimeUnit.SECONDS);
            assertEquals(17, stored.timeout(), "lost the Timeout update in round " + round);
            assertEquals(7, stored.reservedConcurrentExecutions(), "lost the concurrency update in round " + round);
            assertEquals("http://127.0.0.1:9/b", stored.invokeUrl(), "lost the InvokeUrl update in round " + round);
        }
    }

    @Test
    void anUpdateRacingDeleteFunctionNeverRecreatesIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "doomed-fn-" + round;
            functions.createFunction(FunctionRequest.http(name, "http://127.0.0.1:9/a")).get(20, TimeUnit.SECONDS);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(functions.updateFunction(name, new FunctionRequest(null, null, null, 10 + i, null)));
            }
            calls.add(functions.deleteFunction(name));
            for (int i = 0; i < 6; i++) {
                calls.add(functions.updateFunction(name, new FunctionRequest(null, null, null, 20 + i, null)));
            }
            for (CompletableFuture<?> call : calls) {
                try {
                    call.get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // An update after the delete answers ResourceNotFound; nothing else is acceptable.
                    assertEquals(LambdaError.RESOURCE_NOT_FOUND, assertInstanceOf(LambdaException.class, e.getCause()).error());
                }
            }
            ExecutionException gone = assertThrows(ExecutionException.class,
                    () -> functions.getFunction(name).get(20, TimeUnit.SECONDS), "an update recreated deleted function " + name);
            assertEquals(LambdaError.RESOURCE_NOT_FOUND, assertInstanceOf(LambdaException.class, gone.getCause()).error());
        }
    }
}
