package dev.sluice.faasbridge.store;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Functions and mappings in the replicated catalog, one namespace each ({@code faas.functions},
 * {@code faas.mappings}), keyed by name and UUID. A namespace prefix keeps a separate set (another
 * fleet of bridges on the same cluster).
 */
public final class CatalogDefinitionStore implements DefinitionStore {
    static final String FUNCTIONS = "faas.functions";
    static final String MAPPINGS = "faas.mappings";
    static final String BRIDGES = "faas.bridges";
    /** Catalog entries a scan page carries; scans page until the namespace is exhausted. */
    private static final int PAGE = 500;
    /** Conflicting writes an update re-reads and retries before it answers ResourceConflict. */
    static final int UPDATE_ATTEMPTS = 64;

    private final Catalog catalog;
    private final String functionsNamespace;
    private final String mappingsNamespace;
    private final String bridgesNamespace;

    public CatalogDefinitionStore(Catalog catalog) {
        this(catalog, "");
    }

    /** @param namespacePrefix prepended to both namespaces; empty for the server's own set */
    public CatalogDefinitionStore(Catalog catalog, String namespacePrefix) {
        this.catalog = catalog;
        this.functionsNamespace = namespacePrefix + FUNCTIONS;
        this.mappingsNamespace = namespacePrefix + MAPPINGS;
        this.bridgesNamespace = namespacePrefix + BRIDGES;
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> updateFunction(String name,
            Function<FunctionDefinition, CompletableFuture<FunctionDefinition>> change) {
        return update(functionsNamespace, name, DefinitionCodec::decodeFunction, DefinitionCodec::encode, change);
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> updateMapping(String uuid,
            Function<EventSourceMapping, CompletableFuture<EventSourceMapping>> change) {
        return update(mappingsNamespace, uuid, DefinitionCodec::decodeMapping, DefinitionCodec::encode, change);
    }

    private <T> CompletableFuture<Optional<T>> update(String namespace, String key, Function<byte[], T> decode,
            Function<T, byte[]> encode, Function<T, CompletableFuture<T>> change) {
        return catalog.update(namespace, key, read -> change.apply(decode.apply(read)).thenApply(encode), UPDATE_ATTEMPTS,
                () -> new BridgeException(LambdaError.RESOURCE_CONFLICT, "The operation cannot be performed at this "
                        + "time: " + key + " is being updated concurrently. Retry the request."))
                .thenApply(stored -> stored.map(decode));
    }

    @Override
    public CompletableFuture<Boolean> putFunctionIfAbsent(FunctionDefinition function) {
        return catalog.putIfAbsent(functionsNamespace, function.name(), DefinitionCodec.encode(function));
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> function(String name) {
        return catalog.get(functionsNamespace, name).thenApply(value -> value.map(DefinitionCodec::decodeFunction));
    }

    @Override
    public CompletableFuture<List<FunctionDefinition>> functions() {
        return scanAll(functionsNamespace, null, new ArrayList<>(), entry -> DefinitionCodec.decodeFunction(entry.value()));
    }

    @Override
    public CompletableFuture<Boolean> deleteFunction(String name) {
        return catalog.delete(functionsNamespace, name);
    }

    @Override
    public CompletableFuture<Void> putMapping(EventSourceMapping mapping) {
        return catalog.put(mappingsNamespace, mapping.uuid(), DefinitionCodec.encode(mapping)).thenApply(replaced -> null);
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> mapping(String uuid) {
        return catalog.get(mappingsNamespace, uuid).thenApply(value -> value.map(DefinitionCodec::decodeMapping));
    }

    @Override
    public CompletableFuture<List<EventSourceMapping>> mappings() {
        return scanAll(mappingsNamespace, null, new ArrayList<>(), entry -> DefinitionCodec.decodeMapping(entry.value()));
    }

    @Override
    public CompletableFuture<Boolean> deleteMapping(String uuid) {
        return catalog.delete(mappingsNamespace, uuid);
    }

    @Override
    public CompletableFuture<Void> heartbeat(String bridgeId, long nowMillis) {
        return catalog.put(bridgesNamespace, bridgeId, new BinaryWriter().putLong(nowMillis).toByteArray()).thenApply(replaced -> null);
    }

    @Override
    public CompletableFuture<List<String>> liveBridges(long nowMillis, long ttlMillis) {
        return scanAll(bridgesNamespace, null, new ArrayList<>(), entry -> entry).thenApply(entries -> entries.stream()
                .filter(entry -> new BinaryReader(entry.value()).getLong() >= nowMillis - ttlMillis)
                .map(Catalog.Entry::key).sorted().toList());
    }

    @Override
    public CompletableFuture<Void> forgetBridge(String bridgeId) {
        return catalog.delete(bridgesNamespace, bridgeId).thenApply(existed -> null);
    }

    private <T> CompletableFuture<List<T>> scanAll(String namespace, String startAfter, List<T> into,
            Function<Catalog.Entry, T> decode) {
        return catalog.scan(namespace, "", startAfter, PAGE).thenCompose(page -> {
            page.entries().forEach(entry -> into.add(decode.apply(entry)));
            if (!page.more() || page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(into);
            }
            return scanAll(namespace, page.entries().get(page.entries().size() - 1).key(), into, decode);
        });
    }
}
