package dev.sluice.clientsdk.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles a field's array of alternatives into an {@link EventPattern.FieldRule.Leaf}. Stateless. */
final class Conditions {
    private Conditions() {
    }

    static EventPattern.FieldRule.Leaf compileLeaf(JsonNode array, String path) {
        if (array.isEmpty()) {
            throw new InvalidPatternException("the list of " + path + " must not be empty");
        }
        List<ValueCondition> values = new ArrayList<>();
        boolean existsTrue = false;
        boolean existsFalse = false;
        for (JsonNode alternative : array) {
            if (alternative.isObject()) {
                Map.Entry<String, JsonNode> operator = singleOperator(alternative, path);
                if ("exists".equals(operator.getKey())) {
                    if (!operator.getValue().isBoolean()) {
                        throw new InvalidPatternException("exists at " + path + " takes true or false");
                    }
                    existsTrue |= operator.getValue().booleanValue();
                    existsFalse |= !operator.getValue().booleanValue();
                } else {
                    values.add(operator(operator.getKey(), operator.getValue(), path));
                }
            } else if (alternative.isValueNode()) {
                values.add(exact(alternative, path));
            } else {
                throw new InvalidPatternException("alternatives at " + path + " must be literals or operator objects");
            }
        }
        return new EventPattern.FieldRule.Leaf(List.copyOf(values), existsTrue, existsFalse, array.size());
    }

    private static Map.Entry<String, JsonNode> singleOperator(JsonNode object, String path) {
        if (object.size() != 1) {
            throw new InvalidPatternException("an operator object at " + path + " must have exactly one key");
        }
        return object.fields().next();
    }

    private static ValueCondition operator(String name, JsonNode value, String path) {
        switch (name) {
            case "prefix":
                return affix(value, path, "prefix", true);
            case "suffix":
                return affix(value, path, "suffix", false);
            case "equals-ignore-case":
                return new ValueCondition.EqualsIgnoreCase(text(value, path, name));
            case "anything-but":
                return anythingBut(value, path);
            case "numeric":
                return numeric(value, path);
            case "cidr":
                try {
                    return new ValueCondition.Cidr(CidrBlock.parse(text(value, path, name)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidPatternException("cidr at " + path + ": " + EventPattern.shown(e.getMessage()));
                }
            default:
                throw new InvalidPatternException("unrecognized operator " + EventPattern.shown(name) + " at " + path);
        }
    }

    private static ValueCondition affix(JsonNode value, String path, String name, boolean prefix) {
        boolean ignoreCase = false;
        String text;
        if (value.isObject()) {
            Map.Entry<String, JsonNode> inner = singleOperator(value, path);
            if (!"equals-ignore-case".equals(inner.getKey())) {
                throw new InvalidPatternException(name + " at " + path + " takes a string or {\"equals-ignore-case\": string}");
            }
            ignoreCase = true;
            text = text(inner.getValue(), path, name);
        } else {
            text = text(value, path, name);
        }
        return prefix ? new ValueCondition.Prefix(text, ignoreCase) : new ValueCondition.Suffix(text, ignoreCase);
    }

    private static ValueCondition anythingBut(JsonNode value, String path) {
        List<ValueCondition> excluded = new ArrayList<>();
        if (value.isObject()) {
            Map.Entry<String, JsonNode> inner = singleOperator(value, path);
            switch (inner.getKey()) {
                case "prefix" -> excluded.add(affix(inner.getValue(), path, "prefix", true));
                case "suffix" -> excluded.add(affix(inner.getValue(), path, "suffix", false));
                case "equals-ignore-case" -> {
                    for (JsonNode text : inner.getValue().isArray() ? inner.getValue() : List.of(inner.getValue())) {
                        excluded.add(new ValueCondition.EqualsIgnoreCase(text(text, path, "equals-ignore-case")));
                    }
                }
                default -> throw new InvalidPatternException("anything-but at " + path + " does not take "
                        + EventPattern.shown(inner.getKey()));
            }
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                throw new InvalidPatternException("anything-but at " + path + " must not be an empty list");
            }
            for (JsonNode literal : value) {
                excluded.add(literal(literal, path));
            }
        } else {
            excluded.add(literal(value, path));
        }
        return new ValueCondition.AnythingBut(List.copyOf(excluded));
    }

    private static ValueCondition literal(JsonNode value, String path) {
        if (!value.isTextual() && !value.isNumber()) {
            throw new InvalidPatternException("anything-but at " + path + " takes strings or numbers");
        }
        return exact(value, path);
    }

    private static ValueCondition exact(JsonNode value, String path) {
        if (value.isNumber()) {
            Numbers.literal(value, path);
        }
        return new ValueCondition.Exact(value);
    }

    private static ValueCondition numeric(JsonNode value, String path) {
        if (!value.isArray() || (value.size() != 2 && value.size() != 4)) {
            throw new InvalidPatternException("numeric at " + path + " takes [op, number] or [op, number, op, number]");
        }
        String first = operatorName(value.get(0), path);
        BigDecimal firstValue = number(value.get(1), path);
        if (value.size() == 2) {
            return switch (first) {
                case "=" -> new ValueCondition.NumericRange(firstValue, true, firstValue, true);
                case ">" -> new ValueCondition.NumericRange(firstValue, false, null, false);
                case ">=" -> new ValueCondition.NumericRange(firstValue, true, null, false);
                case "<" -> new ValueCondition.NumericRange(null, false, firstValue, false);
                case "<=" -> new ValueCondition.NumericRange(null, false, firstValue, true);
                default -> throw new InvalidPatternException("unknown numeric operator " + EventPattern.shown(first) + " at "
                        + path);
            };
        }
        String second = operatorName(value.get(2), path);
        BigDecimal secondValue = number(value.get(3), path);
        if (!(first.equals(">") || first.equals(">=")) || !(second.equals("<") || second.equals("<="))) {
            throw new InvalidPatternException("a numeric range at " + path + " is [> or >=, lower, < or <=, upper]");
        }
        if (firstValue.compareTo(secondValue) >= 0) {
            throw new InvalidPatternException("numeric range at " + path + " has its lower bound not below its upper bound");
        }
        return new ValueCondition.NumericRange(firstValue, first.equals(">="), secondValue, second.equals("<="));
    }

    private static String operatorName(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new InvalidPatternException("numeric at " + path + " expects an operator string");
        }
        return node.asText();
    }

    private static BigDecimal number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw new InvalidPatternException("numeric at " + path + " expects a number after each operator");
        }
        return Numbers.literal(node, path);
    }

    private static String text(JsonNode value, String path, String operator) {
        if (!value.isTextual()) {
            throw new InvalidPatternException(operator + " at " + path + " takes a string");
        }
        return value.asText();
    }
}
