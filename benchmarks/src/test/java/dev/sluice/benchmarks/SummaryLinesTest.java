package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SummaryLinesTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValue() {
        assertEquals(2.0, SummaryLines.median(new double[] {3.0, 1.0, 2.0}), 1e-12);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, SummaryLines.median(new double[] {4.0, 1.0, 3.0, 2.0}), 1e-12);
    }

    @Test
    void unknownValuesAreLeftOutOfTheMedian() {
        assertEquals(5.0, SummaryLines.median(new double[] {Double.NaN, 5.0}), 1e-12);
        assertTrue(Double.isNaN(SummaryLines.median(new double[] {Double.NaN})));
    }

    @Test
    void numbersAndNullsAreReadFromASummaryLine() {
        String line = "{\"benchmark\":\"raft-commit\",\"nodes\":3,\"latencyP50Ms\":1.250,\"commandsPerEntry\":null,\"otherCpuMs\":-40}";

        assertEquals(3.0, SummaryLines.number(line, "nodes"), 1e-12);
        assertEquals(1.25, SummaryLines.number(line, "latencyP50Ms"), 1e-12);
        assertEquals(-40.0, SummaryLines.number(line, "otherCpuMs"), 1e-12);
        assertTrue(Double.isNaN(SummaryLines.number(line, "commandsPerEntry")));
        assertThrows(IllegalArgumentException.class, () -> SummaryLines.number(line, "clients"));
    }

    @Test
    void stringsAndNullsAreReadFromASummaryLine() {
        String line = "{\"benchmark\":\"sqs-e2e\",\"label\":\"data-groups=4\",\"firstError\":null}";

        assertEquals("data-groups=4", SummaryLines.text(line, "label"));
        assertNull(SummaryLines.text(line, "firstError"));
        assertNull(SummaryLines.text(line, "missing"));
    }
}
