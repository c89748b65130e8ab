package dev.sluice.clientsdk.filter;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated JSON texts shaped like content-filter patterns (SNS filter policies, Lambda FilterCriteria), valid
 * and not: the operators, odd numbers (beyond double range, thousands of digits, tiny, negative zero), deep
 * nesting, NULs and lone surrogates in strings, and plain garbage. Shared by the generated-input tests of every
 * edge that reads patterns.
 */
public final class PatternJson {
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1E309",
            "1e-400", "1000000000", "1000000001", "-1000000001", "4.9e-324", "1.7976931348623157e308",
            "9".repeat(400), "-" + "9".repeat(1500), "0." + "1".repeat(300), "1e99999999999");
    private static final List<String> OPERATORS = List.of("prefix", "suffix", "equals-ignore-case", "anything-but",
            "numeric", "exists", "cidr", "wildcard", "bogus", "$or");
    private static final List<String> NUMERIC_OPERATORS = List.of("=", ">", ">=", "<", "<=", "!=", "");

    private PatternJson() {
    }

    /** A pattern-shaped text: mostly well-formed JSON, sometimes cut short or garbage. */
    public static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, pattern(4)),
                net.jqwik.api.Tuple.of(1, pattern(3).map(text -> text.substring(0, text.length() / 2))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3000)
                        .map(depth -> "{\"a\":".repeat(depth) + "[1]" + "}".repeat(depth))));
    }

    private static Arbitrary<String> pattern(int depth) {
        Arbitrary<String> field = Combinators.combine(key(), depth == 0 ? leaf() : Arbitraries.oneOf(leaf(), leaf(),
                pattern(depth - 1), orOf(depth - 1))).as((key, value) -> key + ":" + value);
        return field.list().ofMinSize(0).ofMaxSize(6).map(fields -> "{" + String.join(",", fields) + "}");
    }

    private static Arbitrary<String> orOf(int depth) {
        return pattern(depth).list().ofMinSize(0).ofMaxSize(3).map(patterns -> "[" + String.join(",", patterns) + "]");
    }

    private static Arbitrary<String> key() {
        return Arbitraries.oneOf(Arbitraries.of("\"a\"", "\"b\"", "\"price\"", "\"$or\"", "\"\""),
                string().map(text -> text));
    }

    private static Arbitrary<String> leaf() {
        Arbitrary<String> alternative = Arbitraries.oneOf(scalar(), operator());
        return Arbitraries.oneOf(alternative.list().ofMaxSize(5).map(values -> "[" + String.join(",", values) + "]"),
                scalar());
    }

    private static Arbitrary<String> operator() {
        Arbitrary<String> numeric = Combinators.combine(Arbitraries.of(NUMERIC_OPERATORS), number(),
                Arbitraries.of(NUMERIC_OPERATORS), number(), Arbitraries.integers().between(0, 4))
                .as((op1, n1, op2, n2, length) -> "[" + String.join(",", List.of("\"" + op1 + "\"", n1, "\"" + op2 + "\"",
                        n2).subList(0, length)) + "]");
        Arbitrary<String> operand = Arbitraries.oneOf(scalar(), numeric,
                scalar().list().ofMaxSize(3).map(values -> "[" + String.join(",", values) + "]"),
                Combinators.combine(Arbitraries.of(OPERATORS), scalar()).as((name, value) -> "{\"" + name + "\":" + value + "}"));
        return Combinators.combine(Arbitraries.of(OPERATORS), operand).as((name, value) -> "{\"" + name + "\":" + value + "}");
    }

    private static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(number(), string(), Arbitraries.of("true", "false", "null"));
    }

    /** A JSON number literal, from the ordinary to the out-of-range. */
    public static Arbitrary<String> number() {
        return Arbitraries.oneOf(Arbitraries.of(NUMBERS), Arbitraries.doubles().map(Object::toString)
                .filter(text -> !text.contains("Infinity") && !text.contains("NaN")));
    }

    private static Arbitrary<String> string() {
        return Arbitraries.oneOf(Arbitraries.of("\"\"", "\"10.0.0.0/8\"", "\"::1/200\"", "\"\\u0000\"", "\"\\ud800\"",
                "\"x\\u0000y\""), Arbitraries.strings().alpha().numeric().withChars('.', '/', ':', '-').ofMaxLength(20)
                .map(text -> "\"" + text + "\""));
    }
}
