package dev.sluice.faasbridge.store;

import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Where functions and mappings are kept. Inside the server: the replicated catalog
 * ({@link CatalogDefinitionStore}); a standalone bridge reads them from a server's REST API.
 * Thread-safe; futures complete on any thread.
 */
public interface DefinitionStore {

    /**
     * Read-modify-write of one function without lost updates: {@code change} computes the new definition
     * from the stored one (asynchronously, so it may validate), and it is stored only if nothing changed
     * meanwhile, else re-read and re-applied a bounded number of times (then ResourceConflict). Empty when
     * the function does not exist, or was deleted meanwhile: an update never recreates it.
     */
    CompletableFuture<Optional<FunctionDefinition>> updateFunction(String name,
            Function<FunctionDefinition, CompletableFuture<FunctionDefinition>> change);

    /** Like {@link #updateFunction}, for one mapping. */
    CompletableFuture<Optional<EventSourceMapping>> updateMapping(String uuid,
            Function<EventSourceMapping, CompletableFuture<EventSourceMapping>> change);

    /** Completes with false when a function of that name exists already. */
    CompletableFuture<Boolean> putFunctionIfAbsent(FunctionDefinition function);

    CompletableFuture<Optional<FunctionDefinition>> function(String name);

    CompletableFuture<List<FunctionDefinition>> functions();

    CompletableFuture<Boolean> deleteFunction(String name);

    /** Stores a new mapping (a fresh UUID); changes go through {@link #updateMapping}. */
    CompletableFuture<Void> putMapping(EventSourceMapping mapping);

    CompletableFuture<Optional<EventSourceMapping>> mapping(String uuid);

    CompletableFuture<List<EventSourceMapping>> mappings();

    CompletableFuture<Boolean> deleteMapping(String uuid);

    /** Records that bridge {@code bridgeId} is alive at {@code nowMillis} (a store may use its own clock). */
    CompletableFuture<Void> heartbeat(String bridgeId, long nowMillis);

    /** Ids of the bridges whose last heartbeat is at most {@code ttlMillis} old, sorted. */
    CompletableFuture<List<String>> liveBridges(long nowMillis, long ttlMillis);

    /** Forgets a bridge that stopped, so the others take over its share at once. */
    CompletableFuture<Void> forgetBridge(String bridgeId);
}
