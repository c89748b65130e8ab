package dev.sluice.faasbridge.store;

import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.raftstore.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Functions and mappings in the replicated catalog, one namespace each, keyed by name and UUID. */
public final class CatalogDefinitionStore implements DefinitionStore {
    static final String FUNCTIONS = "faas.functions";
    static final String MAPPINGS = "faas.mappings";
    /** Catalog entries a scan page carries; scans page until the namespace is exhausted. */
    private static final int PAGE = 500;

    private final Catalog catalog;

    public CatalogDefinitionStore(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<Void> putFunction(FunctionDefinition function) {
        return catalog.put(FUNCTIONS, function.name(), DefinitionCodec.encode(function)).thenApply(replaced -> null);
    }

    @Override
    public CompletableFuture<Boolean> putFunctionIfAbsent(FunctionDefinition function) {
        return catalog.putIfAbsent(FUNCTIONS, function.name(), DefinitionCodec.encode(function));
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> function(String name) {
        return catalog.get(FUNCTIONS, name).thenApply(value -> value.map(DefinitionCodec::decodeFunction));
    }

    @Override
    public CompletableFuture<List<FunctionDefinition>> functions() {
        return scanAll(FUNCTIONS, null, new ArrayList<>(), DefinitionCodec::decodeFunction);
    }

    @Override
    public CompletableFuture<Boolean> deleteFunction(String name) {
        return catalog.delete(FUNCTIONS, name);
    }

    @Override
    public CompletableFuture<Void> putMapping(EventSourceMapping mapping) {
        return catalog.put(MAPPINGS, mapping.uuid(), DefinitionCodec.encode(mapping)).thenApply(replaced -> null);
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> mapping(String uuid) {
        return catalog.get(MAPPINGS, uuid).thenApply(value -> value.map(DefinitionCodec::decodeMapping));
    }

    @Override
    public CompletableFuture<List<EventSourceMapping>> mappings() {
        return scanAll(MAPPINGS, null, new ArrayList<>(), DefinitionCodec::decodeMapping);
    }

    @Override
    public CompletableFuture<Boolean> deleteMapping(String uuid) {
        return catalog.delete(MAPPINGS, uuid);
    }

    private <T> CompletableFuture<List<T>> scanAll(String namespace, String startAfter, List<T> into, Function<byte[], T> decode) {
        return catalog.scan(namespace, "", startAfter, PAGE).thenCompose(page -> {
            page.entries().forEach(entry -> into.add(decode.apply(entry.value())));
            if (!page.more() || page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(into);
            }
            return scanAll(namespace, page.entries().get(page.entries().size() - 1).key(), into, decode);
        });
    }
}
