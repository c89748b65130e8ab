package dev.sluice.broker.service;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.store.DefinitionStore;
import dev.sluice.raftstore.catalog.Catalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The event source mappings quota, checked and claimed in one catalog apply: before a new mapping is stored, its slot
 * ({@code <account>/<uuid>} in {@value #SLOTS}) is claimed with {@link Catalog#putIfFewer}, which counts the account's
 * slots and writes in one apply, so of creates racing on any nodes exactly as many as the quota leaves room for get
 * one; the others are refused with Lambda's ResourceConflictException (409) and store nothing. A delete gives the slot
 * back. Mappings stored before slots (or while the cluster was below feature level 2, when only the count before the
 * create guards the quota) get theirs on this node's first claim for their account. A crash between the claim and the
 * mapping's write leaves a slot without a mapping: the account is one under its quota, never over it. Every other call
 * passes through to the wrapped store. Thread-safe.
 */
public final class MappingSlotStore implements DefinitionStore {
    static final String SLOTS = "faas.mapping-slots";
    private static final byte[] SLOT = new byte[0];

    private final DefinitionStore store;
    private final Catalog catalog;
    private final ToLongFunction<String> quotaOf;
    private final Function<String, String> accountOfFunction;
    private final Supplier<CompletableFuture<Boolean>> exact;
    /** Accounts whose mappings this node gave slots to (once per run). */
    private final Set<String> backfilled = ConcurrentHashMap.newKeySet();

    /**
     * @param quotaOf an account's event source mappings quota (0: no limit)
     * @param accountOfFunction the account of a function's stored (qualified) name
     * @param exact whether every node knows {@link Catalog#putIfFewer} (asked before each claim)
     */
    public MappingSlotStore(DefinitionStore store, Catalog catalog, ToLongFunction<String> quotaOf,
            Function<String, String> accountOfFunction, Supplier<CompletableFuture<Boolean>> exact) {
        this.store = store;
        this.catalog = catalog;
        this.quotaOf = quotaOf;
        this.accountOfFunction = accountOfFunction;
        this.exact = exact;
    }

    @Override
    public CompletableFuture<Void> putMapping(EventSourceMapping mapping) {
        String account = accountOfFunction.apply(mapping.functionName());
        long quota = quotaOf.applyAsLong(account);
        if (quota <= 0) {
            return store.putMapping(mapping);
        }
        return exact.get().thenCompose(claims -> !claims ? store.putMapping(mapping)
                : backfill(account).thenCompose(given -> catalog.putIfFewer(SLOTS, slot(account, mapping.uuid()), SLOT,
                        account + "/", quota)).thenCompose(claim -> {
                            if (claim == Catalog.Claim.FULL) {
                                throw new BridgeException(LambdaError.RESOURCE_CONFLICT, "Account " + account
                                        + " already has " + quota + " event source mappings, its quota; delete one or"
                                        + " ask the operator to raise it.");
                            }
                            return store.putMapping(mapping).handle((stored, failed) -> {
                                if (failed == null) {
                                    return CompletableFuture.<Void>completedFuture(null);
                                }
                                // A failed write gives its slot back; the caller sees the write's failure.
                                return catalog.delete(SLOTS, slot(account, mapping.uuid())).<Void>handle((released, unknown) -> {
                                    throw failed instanceof java.util.concurrent.CompletionException done ? done
                                            : new java.util.concurrent.CompletionException(failed);
                                });
                            }).thenCompose(written -> written);
                        }));
    }

    @Override
    public CompletableFuture<Boolean> deleteMapping(String uuid) {
        return store.mapping(uuid).thenCompose(found -> store.deleteMapping(uuid).thenCompose(deleted -> found
                .map(mapping -> catalog.delete(SLOTS, slot(accountOfFunction.apply(mapping.functionName()), uuid))
                        // A slot left behind keeps the account one mapping under its quota, never over it.
                        .handle((released, failed) -> deleted))
                .orElse(CompletableFuture.completedFuture(deleted))));
    }

    /** Gives every stored mapping of the account a slot, once per run of this node. */
    private CompletableFuture<Void> backfill(String account) {
        if (backfilled.contains(account)) {
            return CompletableFuture.completedFuture(null);
        }
        return store.mappings().thenCompose(mappings -> CompletableFuture.allOf(mappings.stream()
                .filter(mapping -> accountOfFunction.apply(mapping.functionName()).equals(account))
                .map(mapping -> catalog.putIfAbsent(SLOTS, slot(account, mapping.uuid()), SLOT))
                .toArray(CompletableFuture[]::new))).thenRun(() -> backfilled.add(account));
    }

    private static String slot(String account, String uuid) {
        return account + "/" + uuid;
    }

    // ---- passed through unchanged

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> updateFunction(String name,
            Function<FunctionDefinition, CompletableFuture<FunctionDefinition>> change) {
        return store.updateFunction(name, change);
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> updateMapping(String uuid,
            Function<EventSourceMapping, CompletableFuture<EventSourceMapping>> change) {
        return store.updateMapping(uuid, change);
    }

    @Override
    public CompletableFuture<Boolean> putFunctionIfAbsent(FunctionDefinition function) {
        return store.putFunctionIfAbsent(function);
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> function(String name) {
        return store.function(name);
    }

    @Override
    public CompletableFuture<List<FunctionDefinition>> functions() {
        return store.functions();
    }

    @Override
    public CompletableFuture<Boolean> deleteFunction(String name) {
        return store.deleteFunction(name);
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> mapping(String uuid) {
        return store.mapping(uuid);
    }

    @Override
    public CompletableFuture<List<EventSourceMapping>> mappings() {
        return store.mappings();
    }

    @Override
    public CompletableFuture<Void> heartbeat(String bridgeId, long nowMillis) {
        return store.heartbeat(bridgeId, nowMillis);
    }

    @Override
    public CompletableFuture<List<String>> liveBridges(long nowMillis, long ttlMillis) {
        return store.liveBridges(nowMillis, ttlMillis);
    }

    @Override
    public CompletableFuture<Void> forgetBridge(String bridgeId) {
        return store.forgetBridge(bridgeId);
    }
}
