package dev.sluice.broker.auth.policy;

import dev.sluice.clientsdk.filter.CidrBlock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The condition operators Sluice evaluates (IAM's names; each may carry the {@code IfExists} suffix, except
 * {@code Null}). A negated operator holds when the request's value matches none of the policy's values; a
 * positive one when it matches any. Set operators ({@code ForAnyValue:}, {@code ForAllValues:}) and the
 * numeric, date and binary operators are not implemented and refused when a policy is set.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", false, Types.STRINGS),
    STRING_NOT_EQUALS("StringNotEquals", true, Types.STRINGS),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, Types.STRINGS),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, Types.STRINGS),
    STRING_LIKE("StringLike", false, Types.STRINGS),
    STRING_NOT_LIKE("StringNotLike", true, Types.STRINGS),
    ARN_EQUALS("ArnEquals", false, Types.ARNS),
    ARN_LIKE("ArnLike", false, Types.ARNS),
    ARN_NOT_EQUALS("ArnNotEquals", true, Types.ARNS),
    ARN_NOT_LIKE("ArnNotLike", true, Types.ARNS),
    IP_ADDRESS("IpAddress", false, Types.IPS),
    NOT_IP_ADDRESS("NotIpAddress", true, Types.IPS),
    BOOL("Bool", false, Types.BOOLEANS),
    NULL("Null", false, EnumSet.allOf(ConditionKey.Type.class));

    private final String wireName;
    private final boolean negated;
    private final Set<ConditionKey.Type> keyTypes;

    ConditionOperator(String wireName, boolean negated, Set<ConditionKey.Type> keyTypes) {
        this.wireName = wireName;
        this.negated = negated;
        this.keyTypes = keyTypes;
    }

    // Enum constants cannot refer to static fields of their own enum, so the key-type sets live in a holder.
    private static final class Types {
        /** AWS allows the string operators on ARN keys too (e.g. StringLike on aws:SourceArn). */
        static final Set<ConditionKey.Type> STRINGS = EnumSet.of(ConditionKey.Type.STRING, ConditionKey.Type.ARN);
        static final Set<ConditionKey.Type> ARNS = EnumSet.of(ConditionKey.Type.ARN);
        static final Set<ConditionKey.Type> IPS = EnumSet.of(ConditionKey.Type.IP);
        static final Set<ConditionKey.Type> BOOLEANS = EnumSet.of(ConditionKey.Type.BOOLEAN);
    }

    String wireName() {
        return wireName;
    }

    boolean negated() {
        return negated;
    }

    boolean accepts(ConditionKey key) {
        return keyTypes.contains(key.type());
    }

    static Optional<ConditionOperator> named(String name) {
        for (ConditionOperator operator : values()) {
            if (operator.wireName.equals(name)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }

    /**
     * The positive match of one policy value against a request's value (a negated operator inverts the result
     * over all values, in {@link Condition}).
     *
     * @throws PolicyRefused when the value cannot be read for this operator
     */
    Predicate<String> compile(String value) {
        return switch (this) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> value::equals;
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE -> value::equalsIgnoreCase;
            case STRING_LIKE, STRING_NOT_LIKE -> Wildcard.of(value, false)::matches;
            case ARN_EQUALS, ARN_LIKE, ARN_NOT_EQUALS, ARN_NOT_LIKE -> arnPattern(value);
            case IP_ADDRESS, NOT_IP_ADDRESS -> ipBlock(value);
            case BOOL -> bool(value);
            case NULL -> throw new IllegalStateException("Null is decided by presence, not by value");
        };
    }

    /** IAM matches an ARN component by component (six, split at the first five colons), each with wildcards. */
    private static Predicate<String> arnPattern(String value) {
        String[] parts = value.split(":", 6);
        if (parts.length < 6) {
            Wildcard whole = Wildcard.of(value, false);
            return whole::matches;
        }
        Wildcard[] components = new Wildcard[6];
        for (int i = 0; i < 6; i++) {
            components[i] = Wildcard.of(parts[i], false);
        }
        return actual -> {
            String[] actualParts = actual.split(":", 6);
            if (actualParts.length < 6) {
                return false;
            }
            for (int i = 0; i < 6; i++) {
                if (!components[i].matches(actualParts[i])) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Predicate<String> ipBlock(String value) {
        CidrBlock block;
        try {
            block = CidrBlock.parse(value);
        } catch (IllegalArgumentException e) {
            throw new PolicyRefused("Condition value " + value + " is not an IP address or CIDR block");
        }
        return block::containsLiteral;
    }

    private static Predicate<String> bool(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw new PolicyRefused("Bool condition value " + value + " is not true or false");
        }
        return actual -> actual.equalsIgnoreCase(lower);
    }
}
