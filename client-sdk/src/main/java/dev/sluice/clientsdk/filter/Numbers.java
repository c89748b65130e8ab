package dev.sluice.clientsdk.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * JSON numbers as exact decimals. Jackson reads a literal beyond double range ({@code 1e400}) as an infinite
 * double, which has no decimal value: patterns refuse such literals, and an event holding one matches no
 * numeric condition (it is still a number, never equal to a finite literal). Stateless.
 */
final class Numbers {
    private Numbers() {
    }

    /** The value of a number node; empty for a non-number or a number outside double range. */
    static Optional<BigDecimal> decimal(JsonNode node) {
        if (!node.isNumber() || (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())
                && !node.isBigDecimal())) {
            return Optional.empty();
        }
        return Optional.of(node.decimalValue());
    }

    /** A pattern's number literal; InvalidPatternException when it is outside double range. */
    static BigDecimal literal(JsonNode node, String path) {
        return decimal(node).orElseThrow(() -> new InvalidPatternException("the number at " + path
                + " is outside the range of numbers a pattern can hold"));
    }
}
