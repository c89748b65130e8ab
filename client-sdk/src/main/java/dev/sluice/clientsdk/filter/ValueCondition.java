package dev.sluice.clientsdk.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * One alternative in a field's list of conditions: matched against a single scalar of the event (each
 * element when the event holds an array). Immutable.
 */
sealed interface ValueCondition {

    /** True when this condition accepts the scalar {@code value} (never an array; absent values never get here). */
    boolean accepts(JsonNode value);

    /** A literal: the same string, the same number (numerically), the same boolean, or null. */
    record Exact(JsonNode literal) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            if (literal.isNumber()) {
                return Numbers.decimal(value).map(number -> literal.decimalValue().compareTo(number) == 0).orElse(false);
            }
            return literal.equals(value);
        }
    }

    record Prefix(String prefix, boolean ignoreCase) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            return value.isTextual() && value.asText().regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
    }

    record Suffix(String suffix, boolean ignoreCase) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            String text = value.asText();
            return value.isTextual() && text.length() >= suffix.length()
                    && text.regionMatches(ignoreCase, text.length() - suffix.length(), suffix, 0, suffix.length());
        }
    }

    record EqualsIgnoreCase(String expected) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            return value.isTextual() && value.asText().toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
        }
    }

    /** Accepts what none of {@code excluded} accepts; only values of the excluded conditions' kind (string vs number) count. */
    record AnythingBut(List<ValueCondition> excluded) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            return excluded.stream().noneMatch(condition -> condition.accepts(value));
        }
    }

    /** A range with optional bounds; {@code =} is a range with both bounds equal and inclusive. */
    record NumericRange(BigDecimal lower, boolean lowerInclusive, BigDecimal upper, boolean upperInclusive)
            implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            java.util.Optional<BigDecimal> decimal = Numbers.decimal(value);
            if (decimal.isEmpty()) {
                return false;
            }
            BigDecimal number = decimal.get();
            if (lower != null) {
                int compared = number.compareTo(lower);
                if (compared < 0 || (compared == 0 && !lowerInclusive)) {
                    return false;
                }
            }
            if (upper != null) {
                int compared = number.compareTo(upper);
                return compared < 0 || (compared == 0 && upperInclusive);
            }
            return true;
        }
    }

    /** An IPv4 or IPv6 network; accepts string values that are addresses inside it. */
    record Cidr(CidrBlock block) implements ValueCondition {
        @Override
        public boolean accepts(JsonNode value) {
            return value.isTextual() && block.containsLiteral(value.asText());
        }
    }
}
