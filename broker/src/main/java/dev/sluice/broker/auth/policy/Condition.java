package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;
import java.util.List;
import java.util.function.Predicate;

/**
 * One operator on one key of a statement's {@code Condition}, e.g. {@code "IpAddress": {"aws:SourceIp": [...]}}.
 * As IAM evaluates it: several values of a key are alternatives (any may match; for a negated operator none may);
 * a key the request does not have fails a positive operator and satisfies a negated one, and satisfies any
 * operator with {@code IfExists}; {@code Null} tests presence alone.
 *
 * @param values the compiled values (empty for {@code Null})
 * @param nullMeansAbsent for {@code Null}: true when the condition asks the key to be absent
 */
record Condition(ConditionOperator operator, boolean ifExists, ConditionKey key, List<Predicate<String>> values,
        boolean nullMeansAbsent) {

    boolean holds(Caller caller, RequestContext context) {
        String actual = key.valueIn(caller, context);
        if (operator == ConditionOperator.NULL) {
            return (actual == null) == nullMeansAbsent;
        }
        if (actual == null) {
            return ifExists || operator.negated();
        }
        boolean any = false;
        for (Predicate<String> value : values) {
            if (value.test(actual)) {
                any = true;
                break;
            }
        }
        return operator.negated() != any;
    }
}
