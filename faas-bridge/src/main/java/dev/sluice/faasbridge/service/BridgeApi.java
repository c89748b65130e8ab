package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionRequest;
import dev.sluice.faasbridge.core.MappingChecks;
import dev.sluice.faasbridge.core.MappingRequest;
import dev.sluice.faasbridge.store.DefinitionStore;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * Managing functions and event source mappings: the Java API behind {@code /v1/functions} and
 * {@code /v1/event-source-mappings}. Every expected failure completes the future with a
 * {@link BridgeException}; methods do not throw. Writes go to the store (replicated inside the server)
 * and wake this bridge's supervisor, so a change takes effect here at once and on other bridges within
 * their refresh interval.
 *
 * <p>Functions and mappings belong to an account ({@link AccountScope}): every call names the caller's scope; a function
 * or mapping of another account does not exist for it (ResourceNotFoundException, as for a missing one), and a mapping
 * may only read a queue of its own account (another account's queue answers as a missing one: its name is not
 * disclosed). Thread-safe.
 */
public final class BridgeApi {
    private final DefinitionStore store;
    private final QueueClient queues;
    private final BridgeSettings settings;
    private final Predicate<String> handlerExists;
    private final Runnable changed;
    private final InstantSource clock;
    private final java.util.function.Function<String, RecentErrors> recentErrors;

    BridgeApi(DefinitionStore store, QueueClient queues, BridgeSettings settings, Predicate<String> handlerExists,
            Runnable changed, InstantSource clock, java.util.function.Function<String, RecentErrors> recentErrors) {
        this.recentErrors = recentErrors;
        this.store = store;
        this.queues = queues;
        this.settings = settings;
        this.handlerExists = handlerExists;
        this.changed = changed;
        this.clock = clock;
    }

    public CompletableFuture<FunctionDefinition> createFunction(AccountScope scope, FunctionRequest request) {
        return attempt(() -> checkHandler(request.create(clock.millis()))).thenApply(created ->
                created.withName(scope.qualify(created.name()))).thenCompose(function ->
                store.putFunctionIfAbsent(function).thenApply(stored -> {
                    if (!stored) {
                        throw new BridgeException(LambdaError.RESOURCE_CONFLICT, "Function already exist: "
                                + AccountScope.bare(function.name()));
                    }
                    return notifyChanged(function);
                }));
    }

    public CompletableFuture<FunctionDefinition> updateFunction(AccountScope scope, String name, FunctionRequest request) {
        String stored = scope.qualify(name);
        return store.updateFunction(stored, current -> attempt(() -> checkHandler(request.update(current, clock.millis()))))
                .thenApply(updated -> notifyChanged(updated.orElseThrow(() -> functionNotFound(stored))));
    }

    /** A mapping's recent problems on this node's bridge (each bridge polls a share of every mapping's queue). */
    public RecentErrors recentErrors(String mappingUuid) {
        return recentErrors.apply(mappingUuid);
    }

    public CompletableFuture<FunctionDefinition> getFunction(AccountScope scope, String name) {
        return function(scope.qualify(name));
    }

    /** The function of a stored (qualified) name. */
    private CompletableFuture<FunctionDefinition> function(String stored) {
        return store.function(stored).thenApply(found -> found.orElseThrow(() -> functionNotFound(stored)));
    }

    public CompletableFuture<List<FunctionDefinition>> listFunctions(AccountScope scope) {
        return store.functions().thenApply(all -> all.stream().filter(function -> scope.sees(function.name())).toList());
    }

    /** Deletes a function; its mappings stay (as in Lambda) but poll nothing until a function of that name exists again. */
    public CompletableFuture<FunctionDefinition> deleteFunction(AccountScope scope, String name) {
        String stored = scope.qualify(name);
        return function(stored).thenCompose(function -> store.deleteFunction(stored).thenApply(ignored -> notifyChanged(function)));
    }

    public CompletableFuture<EventSourceMapping> createMapping(AccountScope scope, MappingRequest request) {
        return attempt(() -> request.create(UUID.randomUUID().toString(), clock.millis()))
                .thenApply(created -> created.withFunctionName(scope.qualify(created.functionName())))
                .thenCompose(created -> check(scope, created))
                .thenCompose(checked -> store.putMapping(checked).thenApply(ignored -> notifyChanged(checked)));
    }

    public CompletableFuture<EventSourceMapping> updateMapping(AccountScope scope, String uuid, MappingRequest request) {
        return store.updateMapping(uuid, current -> {
            if (!scope.sees(current.functionName())) {
                return CompletableFuture.failedFuture(mappingNotFound(uuid));
            }
            // A mapping stays in its function's account, whoever (an operator) changes it.
            AccountScope owner = new AccountScope(scope.accountOf(current.functionName()), scope.defaultAccount(), false);
            return attempt(() -> request.update(current, clock.millis()))
                    .thenApply(updated -> request.functionName() == null ? updated
                            : updated.withFunctionName(owner.qualify(request.functionName())))
                    .thenCompose(updated -> check(owner, updated));
        }).thenApply(updated -> notifyChanged(updated.orElseThrow(() -> mappingNotFound(uuid))));
    }

    public CompletableFuture<EventSourceMapping> getMapping(AccountScope scope, String uuid) {
        return store.mapping(uuid).thenApply(found -> found.filter(mapping -> scope.sees(mapping.functionName()))
                .orElseThrow(() -> mappingNotFound(uuid)));
    }

    private static BridgeException mappingNotFound(String uuid) {
        return new BridgeException(LambdaError.RESOURCE_NOT_FOUND,
                "The resource you requested does not exist: event source mapping " + uuid);
    }

    /** The scope's mappings oldest first, only those of {@code functionName} (in the scope's account) when given. */
    public CompletableFuture<List<EventSourceMapping>> listMappings(AccountScope scope, Optional<String> functionName) {
        return store.mappings().thenApply(all -> all.stream().filter(mapping -> scope.sees(mapping.functionName()))
                .filter(mapping -> functionName.map(scope::qualify).map(mapping.functionName()::equals).orElse(true))
                .sorted(Comparator.comparingLong(EventSourceMapping::lastModifiedMillis)).toList());
    }

    public CompletableFuture<EventSourceMapping> deleteMapping(AccountScope scope, String uuid) {
        return getMapping(scope, uuid).thenCompose(mapping -> store.deleteMapping(uuid).thenApply(ignored -> notifyChanged(mapping)));
    }

    // ---- The default account's scope: for callers that know no accounts (a bridge's own tests, benchmarks).

    private AccountScope defaultScope() {
        return AccountScope.only(settings.accountId());
    }

    public CompletableFuture<FunctionDefinition> createFunction(FunctionRequest request) {
        return createFunction(defaultScope(), request);
    }

    public CompletableFuture<FunctionDefinition> updateFunction(String name, FunctionRequest request) {
        return updateFunction(defaultScope(), name, request);
    }

    public CompletableFuture<FunctionDefinition> getFunction(String name) {
        return getFunction(defaultScope(), name);
    }

    public CompletableFuture<List<FunctionDefinition>> listFunctions() {
        return listFunctions(defaultScope());
    }

    public CompletableFuture<FunctionDefinition> deleteFunction(String name) {
        return deleteFunction(defaultScope(), name);
    }

    public CompletableFuture<EventSourceMapping> createMapping(MappingRequest request) {
        return createMapping(defaultScope(), request);
    }

    public CompletableFuture<EventSourceMapping> updateMapping(String uuid, MappingRequest request) {
        return updateMapping(defaultScope(), uuid, request);
    }

    public CompletableFuture<EventSourceMapping> getMapping(String uuid) {
        return getMapping(defaultScope(), uuid);
    }

    public CompletableFuture<List<EventSourceMapping>> listMappings(Optional<String> functionName) {
        return listMappings(defaultScope(), functionName);
    }

    public CompletableFuture<EventSourceMapping> deleteMapping(String uuid) {
        return deleteMapping(defaultScope(), uuid);
    }

    /** Records that a bridge is alive now (by this API's clock): bridges split each mapping's MaximumConcurrency. */
    public CompletableFuture<Void> heartbeat(String bridgeId) {
        return store.heartbeat(bridgeId, clock.millis());
    }

    /** The bridges heard from within {@code ttlMillis} (by this API's clock), sorted. */
    public CompletableFuture<List<String>> liveBridges(long ttlMillis) {
        return store.liveBridges(clock.millis(), ttlMillis);
    }

    public CompletableFuture<Void> forgetBridge(String bridgeId) {
        return store.forgetBridge(bridgeId);
    }

    /** The ARN of the function of a stored (qualified) name: its account's. */
    public String functionArn(String storedName) {
        return FunctionDefinition.arn(settings.region(), AccountScope.only(settings.accountId()).accountOf(storedName),
                AccountScope.bare(storedName));
    }

    /**
     * The mapping once its function exists, its queue's visibility covers the timeout and no other mapping has its
     * function and queue: Lambda's rule, which also makes (function, queue) name one mapping in the meters. Updates are
     * checked too, as one may move a mapping to another function.
     */
    private CompletableFuture<EventSourceMapping> check(AccountScope scope, EventSourceMapping mapping) {
        if (!scope.owns(mapping.eventSourceArn())) {
            // As a missing queue: another account's queue names are not disclosed.
            return CompletableFuture.failedFuture(missingQueue(mapping));
        }
        CompletableFuture<FunctionDefinition> function = function(mapping.functionName());
        CompletableFuture<Integer> visibility = queueVisibilityTimeout(mapping);
        CompletableFuture<List<EventSourceMapping>> existing = store.mappings();
        return function.thenCombine(visibility, (fn, seconds) -> {
            MappingChecks.visibilityCoversTimeout(seconds, fn);
            return mapping;
        }).thenCombine(existing, (checked, all) -> {
            all.stream().filter(other -> !other.uuid().equals(checked.uuid()) && other.eventSourceArn().equals(checked.eventSourceArn())
                    && other.functionName().equals(checked.functionName())).findFirst().ifPresent(other -> {
                        throw new BridgeException(LambdaError.RESOURCE_CONFLICT, "An event source mapping with SQS arn "
                                + checked.eventSourceArn() + " and function " + checked.functionName()
                                + " already exists. Please update or delete the existing mapping with UUID " + other.uuid());
                    });
            return checked;
        });
    }

    private CompletableFuture<Integer> queueVisibilityTimeout(EventSourceMapping mapping) {
        String url = mapping.eventSourceArn().queueUrl().toUrl(settings.queueBaseUrl());
        return queues.getQueueAttributes(new GetQueueAttributesRequest(url, List.of("VisibilityTimeout")))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_DOES_NOT_EXIST) {
                            throw missingQueue(mapping);
                        }
                        throw new CompletionException(cause);
                    }
                    return Integer.parseInt(response.attributes().getOrDefault("VisibilityTimeout", "30"));
                });
    }

    private static BridgeException missingQueue(EventSourceMapping mapping) {
        return new BridgeException(LambdaError.INVALID_PARAMETER_VALUE,
                "The queue " + mapping.eventSourceArn() + " does not exist");
    }

    private FunctionDefinition checkHandler(FunctionDefinition function) {
        if (function.handler() != null && !handlerExists.test(function.handler())) {
            throw new BridgeException(LambdaError.INVALID_PARAMETER_VALUE, "No FunctionHandler named " + function.handler()
                    + " is on this bridge's class path (META-INF/services/dev.sluice.faasbridge.function.FunctionHandler)");
        }
        return function;
    }

    private BridgeException functionNotFound(String storedName) {
        return new BridgeException(LambdaError.RESOURCE_NOT_FOUND, "Function not found: " + functionArn(storedName));
    }

    private <T> T notifyChanged(T value) {
        changed.run();
        return value;
    }

    private static <T> CompletableFuture<T> attempt(java.util.function.Supplier<T> step) {
        try {
            return CompletableFuture.completedFuture(step.get());
        } catch (BridgeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
