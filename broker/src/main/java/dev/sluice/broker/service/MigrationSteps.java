package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tick's steps of a node's migrations, one after the other, each on its own: a step that fails or never completes
 * costs only its own migration that tick. Before, the steps were one chain: a migration whose step failed every tick
 * (or hung on a future that never completed) kept every later migration of the node from moving, and the failure was
 * logged at debug only (CrossGroupFaultsClusterIT: a queue placement that needed one step waited over 2 minutes behind
 * the previous scenario's unfinished migration). A step past {@code bound} is given up for this tick; its late outcome
 * does no harm, as every step's writes are compare-and-set or idempotent.
 */
final class MigrationSteps<M> {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationSteps.class);
    /** Consecutive failed ticks of one migration before its failure is worth a warning, and between two warnings. */
    static final int WARN_EVERY = 20;

    private final Duration bound;
    private final Function<M, String> describe;
    /** Consecutive failures per migration (by description); only ever touched by one tick at a time. */
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    MigrationSteps(Duration bound, Function<M, String> describe) {
        this.bound = bound;
        this.describe = describe;
    }

    /** Runs {@code step} for each of {@code migrations} in order; completes (never exceptionally) when all have ended. */
    CompletableFuture<Void> run(List<M> migrations, Function<M, CompletableFuture<Void>> step) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (M migration : migrations) {
            all = all.thenCompose(done -> once(migration, step));
        }
        return all;
    }

    private CompletableFuture<Void> once(M migration, Function<M, CompletableFuture<Void>> step) {
        String name = describe.apply(migration);
        CompletableFuture<Void> stepped;
        try {
            stepped = step.apply(migration);
        } catch (RuntimeException thrown) {
            stepped = CompletableFuture.failedFuture(thrown);
        }
        // A copy, so that the timeout does not complete the step's own future under the code still working on it.
        return stepped.thenApply(done -> done).orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).handle((done, error) -> {
            if (error == null) {
                Integer failed = failures.remove(name);
                if (failed != null && failed >= WARN_EVERY) {
                    LOG.info("migration {} moves again after {} failed steps", name, failed);
                }
            } else {
                int failed = failures.merge(name, 1, Integer::sum);
                if (failed % WARN_EVERY == 0) {
                    LOG.warn("migration {}: {} steps in a row failed or took over {} s; retrying: {}", name, failed,
                            bound.toSeconds(), describe(error));
                }
            }
            return null;
        });
    }

    private static String describe(Throwable error) {
        Throwable cause = StalePlacementRetry.unwrap(error);
        return cause instanceof SqsException sqs ? sqs.error().code() + ": " + sqs.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
