package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FunctionLabelsTest {

    @Test
    void theFirstFunctionsUpToTheLimitGetLabelsAndTheRestOverflow() {
        FunctionLabels labels = new FunctionLabels(2);
        assertEquals("a", labels.of("a"));
        assertEquals("b", labels.of("b"));
        assertEquals(FunctionLabels.OVERFLOW, labels.of("c"));
        assertEquals("a", labels.of("a"), "a labelled name keeps its label");
    }

    @Test
    void aReleasedLabelGoesToTheNextFunctionThatAsks() {
        FunctionLabels labels = new FunctionLabels(1);
        assertEquals("a", labels.of("a"));
        assertEquals(FunctionLabels.OVERFLOW, labels.of("b"));
        labels.release("a");
        assertEquals("b", labels.of("b"));
        assertEquals(FunctionLabels.OVERFLOW, labels.of("a"));
    }

    @Test
    void aLimitOfZeroSumsEveryFunctionUnderOverflow() {
        assertEquals(FunctionLabels.OVERFLOW, new FunctionLabels(0).of("a"));
    }
}
