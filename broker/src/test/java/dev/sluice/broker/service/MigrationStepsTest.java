package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MigrationStepsTest {
    private final MigrationSteps<String> steps = new MigrationSteps<>(Duration.ofMillis(200), name -> name);

    @Test
    void aMigrationWhoseStepFailsOrNeverEndsDoesNotKeepTheNextOnesOfTheTickFromMoving() throws Exception {
        List<String> stepped = new ArrayList<>();
        CompletableFuture<Void> never = new CompletableFuture<>();
        CompletableFuture<Void> tick = steps.run(List.of("failing", "thrown", "hanging", "healthy"), name -> {
            stepped.add(name);
            return switch (name) {
                case "failing" -> CompletableFuture.failedFuture(new IllegalStateException("a leader changed"));
                case "thrown" -> throw new IllegalArgumentException("refused before any future");
                case "hanging" -> never;
                default -> CompletableFuture.completedFuture(null);
            };
        });

        tick.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("failing", "thrown", "hanging", "healthy"), stepped);
        assertTrue(!never.isDone(), "the hanging step's own future is left to the code still working on it");
    }

    @Test
    void aTickCompletesNormallyWhateverItsStepsDid() throws Exception {
        CompletableFuture<Void> tick = steps.run(List.of("a", "b"),
                name -> CompletableFuture.failedFuture(new IllegalStateException(name)));

        tick.get(5, TimeUnit.SECONDS);
        assertTrue(tick.isDone() && !tick.isCompletedExceptionally());
    }
}
