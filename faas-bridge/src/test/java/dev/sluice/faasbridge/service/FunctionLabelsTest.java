package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.faasbridge.service.FunctionLabels.Label;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FunctionLabelsTest {

    @Test
    void theFirstFunctionsUpToTheLimitGetLabelsAndTheRestOverflow() {
        FunctionLabels labels = new FunctionLabels(2);
        assertEquals(new Label("a", "qa"), labels.of("a", "qa"));
        assertEquals(new Label("b", "qb"), labels.of("b", "qb"));
        assertEquals(FunctionLabels.OVERFLOW_LABEL, labels.of("c", "qc"));
        assertEquals(new Label("a", "qa"), labels.of("a", "qa"), "a labelled pair keeps its labels");
    }

    @Test
    void eachSourceQueueOfAFunctionTakesASlotOfItsOwn() {
        FunctionLabels labels = new FunctionLabels(2);
        assertEquals(new Label("a", "q1"), labels.of("a", "q1"));
        assertEquals(new Label("a", "q2"), labels.of("a", "q2"));
        assertEquals(FunctionLabels.OVERFLOW_LABEL, labels.of("a", "q3"));
    }

    @Test
    void aReleasedLabelGoesToTheNextFunctionThatAsks() {
        FunctionLabels labels = new FunctionLabels(1);
        assertEquals(new Label("a", "q"), labels.of("a", "q"));
        assertEquals(FunctionLabels.OVERFLOW_LABEL, labels.of("b", "q"));
        labels.release(new Label("a", "q"));
        assertEquals(new Label("b", "q"), labels.of("b", "q"));
        assertEquals(FunctionLabels.OVERFLOW_LABEL, labels.of("a", "q"));
    }

    @Test
    void aLimitOfZeroSumsEveryFunctionUnderOverflow() {
        assertEquals(new Label("__overflow__", "__overflow__"), new FunctionLabels(0).of("a", "q"));
    }
}
