package dev.sluice.clientsdk;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated SQS JSON 1.0 request bodies for hostile-input tests: objects whose members carry SQS's
 * real member names (so wrong types reach real parameters) with values of every JSON kind (null,
 * booleans, integers past 32 and 64 bits, {@code 1e400}, decimals, strings with NULs and lone
 * surrogate escapes, lists, maps, nesting), unknown members, and whole bodies that are not objects or
 * not JSON at all. Shared with broker's edge tests through the test-jar.
 */
public final class JsonBodies {

    /** Every member name of the SQS request shapes, plus ones SQS does not know. */
    private static final List<String> NAMES = List.of("QueueUrl", "QueueName", "MessageBody", "DelaySeconds",
            "Entries", "Id", "MessageAttributes", "MessageSystemAttributes", "DataType", "StringValue",
            "BinaryValue", "AttributeNames", "Attributes", "tags", "Tags", "TagKeys", "MaxResults",
            "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "ReceiptHandle", "SourceArn",
            "DestinationArn", "TaskHandle", "NextToken", "QueueNamePrefix", "MessageGroupId",
            "MessageDeduplicationId", "MessageAttributeNames", "MessageSystemAttributeNames",
            "ReceiveRequestAttemptId", "MaxNumberOfMessagesPerSecond", "QueueOwnerAWSAccountId", "Unknown", "");

    private JsonBodies() {
    }

    /** Mostly objects with SQS member names; sometimes a body that is no object or no JSON. */
    public static Arbitrary<String> objects() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, object(value(3))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("null", "[]", "5", "\"x\"", "true", "", "{", "{\"QueueName\":",
                        "{}}", "{\"a\":1,}", "[".repeat(3000) + "]".repeat(3000), "{\"A\":".repeat(2000) + "1"
                                + "}".repeat(2000))));
    }

    private static Arbitrary<String> object(Arbitrary<String> values) {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(NAMES), values)
                .as((name, value) -> quote(name) + ":" + value);
        return member.list().ofMaxSize(6).map(members -> members.stream().collect(Collectors.joining(",", "{", "}")));
    }

    private static Arbitrary<String> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, leaf()),
                net.jqwik.api.Tuple.of(2, inner.list().ofMaxSize(4).map(items -> String.join(",", items))
                        .map(items -> "[" + items + "]")),
                net.jqwik.api.Tuple.of(2, object(inner)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("String", "Number", "Binary", "\\u0000",
                        "String.x", ""), leaf()).as((type, value) -> "{\"DataType\":\"" + type
                        + "\",\"StringValue\":" + value + "}")));
    }

    private static Arbitrary<String> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "2147483648",
                        "99999999999999999999999", "1E2", "-0.0", "\"\"", "\"All\"", "\"aGk=\"", "\"***\"",
                        "\"\\u0000\"", "\"\\ud800\"", "\"<&>\\u0001\"", "\"10\"", "\"http://127.0.0.1/000000000000/q\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(12).map(JsonBodies::quote));
    }

    /** A JSON string literal; control characters and lone surrogates as escapes. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
