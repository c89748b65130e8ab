package dev.sluice.broker.auth.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an IAM policy document (Version {@code 2012-10-17} or {@code 2008-10-17}) into a {@link PolicyDocument},
 * or refuses it ({@link PolicyRefused}, naming the element) when it is malformed or uses anything Sluice does not
 * evaluate: set operators, numeric/date/binary operators, condition keys Sluice never fills, policy variables.
 * Refusing at set time is what keeps a policy from being half-enforced. Pure and thread-safe.
 */
public final class PolicyParser {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Set<String> POLICY_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ROOT_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):root");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    private static final String IF_EXISTS = "IfExists";

    private PolicyParser() {
    }

    /** An identity policy (attached to a key): no Principal; any service's actions. */
    public static PolicyDocument identity(String json) {
        return parse(json, null);
    }

    /**
     * A resource policy (a queue's or topic's {@code Policy}): every statement names its principals, and its
     * actions belong to {@code service} ({@code sqs}, {@code sns}), as AWS requires.
     */
    public static PolicyDocument resource(String json, String service) {
        return parse(json, service);
    }

    private static PolicyDocument parse(String json, String service) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PolicyRefused("the policy is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new PolicyRefused("the policy must be a JSON object");
        }
        checkKeys(root, POLICY_KEYS, "policy");
        boolean variables = version(root.get("Version"));
        if (variables && json.contains("${")) {
            throw new PolicyRefused("policy variables (${...}) are not supported");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isObject() || statements.isArray()) || statements.isEmpty()) {
            throw new PolicyRefused("the policy needs a Statement (an object or a non-empty array of objects)");
        }
        List<Statement> parsed = new ArrayList<>();
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            parsed.add(statement(statement, service));
        }
        return new PolicyDocument(parsed);
    }

    /** True for 2012-10-17 (the version in which {@code ${...}} is a policy variable). */
    private static boolean version(JsonNode version) {
        if (version == null) {
            return false;
        }
        String text = version.asText();
        if (!version.isTextual() || !(text.equals("2012-10-17") || text.equals("2008-10-17"))) {
            throw new PolicyRefused("Version must be 2012-10-17 or 2008-10-17");
        }
        return text.equals("2012-10-17");
    }

    private static Statement statement(JsonNode statement, String service) {
        if (!statement.isObject()) {
            throw new PolicyRefused("every Statement must be a JSON object");
        }
        checkKeys(statement, STATEMENT_KEYS, "statement");
        String sid = statement.has("Sid") ? text(statement.get("Sid"), "Sid") : null;
        String effect = statement.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new PolicyRefused("Effect must be Allow or Deny");
        }
        boolean resourcePolicy = service != null;
        String principalElement = exactlyOne(statement, "Principal", "NotPrincipal", resourcePolicy);
        String actionElement = exactlyOne(statement, "Action", "NotAction", true);
        String resourceElement = exactlyOne(statement, "Resource", "NotResource", true);
        Principals principals = principalElement == null ? null : principals(statement.get(principalElement),
                principalElement);
        List<Wildcard> actions = strings(statement.get(actionElement), actionElement).stream()
                .map(action -> action(action, service, actionElement)).toList();
        List<Wildcard> resources = strings(statement.get(resourceElement), resourceElement).stream()
                .map(resource -> resourcePattern(resource, resourceElement)).toList();
        return new Statement(sid, effect.equals("Allow"), principals, "NotPrincipal".equals(principalElement),
                actions, actionElement.equals("NotAction"), resources, resourceElement.equals("NotResource"),
                conditions(statement.get("Condition")));
    }

    /**
     * Which of two exclusive elements the statement has; null when it has neither and neither is required.
     * In an identity policy ({@code required} false for the principal pair) neither may appear.
     */
    private static String exactlyOne(JsonNode statement, String element, String notElement, boolean required) {
        boolean has = statement.has(element);
        boolean hasNot = statement.has(notElement);
        if (has && hasNot) {
            throw new PolicyRefused("a statement may have " + element + " or " + notElement + ", not both");
        }
        if (!required) {
            if (has || hasNot) {
                throw new PolicyRefused((has ? element : notElement) + " is not allowed in an identity policy");
            }
            return null;
        }
        if (!has && !hasNot) {
            throw new PolicyRefused("a statement needs " + element + " or " + notElement);
        }
        return has ? element : notElement;
    }

    private static Wildcard action(String action, String service, String element) {
        if (action.equals("*")) {
            return Wildcard.of(action, true);
        }
        if (!ACTION.matcher(action).matches()) {
            throw new PolicyRefused(element + " " + action + " is not service:action");
        }
        String prefix = action.substring(0, action.indexOf(':')).toLowerCase(Locale.ROOT);
        if (service != null && !prefix.equals(service)) {
            throw new PolicyRefused("Policy statement action out of service scope! (" + element + " " + action + ")");
        }
        return Wildcard.of(action, true);
    }

    private static Wildcard resourcePattern(String resource, String element) {
        if (!resource.equals("*") && !resource.startsWith("arn:")) {
            throw new PolicyRefused(element + " " + resource + " is not an ARN or *");
        }
        return Wildcard.of(resource, false);
    }

    private static Principals principals(JsonNode principal, String element) {
        if (principal.isTextual()) {
            if (!principal.asText().equals("*")) {
                throw new PolicyRefused(element + " must be \"*\" or an object such as {\"AWS\": ...}");
            }
            return new Principals(true, Set.of(), Set.of(), Set.of());
        }
        if (!principal.isObject() || principal.isEmpty()) {
            throw new PolicyRefused(element + " must be \"*\" or an object such as {\"AWS\": ...}");
        }
        boolean everyone = false;
        Set<String> accounts = new HashSet<>();
        Set<String> users = new HashSet<>();
        Set<String> services = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> types = principal.fields();
        while (types.hasNext()) {
            Map.Entry<String, JsonNode> type = types.next();
            if (!PRINCIPAL_TYPES.contains(type.getKey())) {
                throw new PolicyRefused(element + " type " + type.getKey() + " is unknown");
            }
            for (String value : strings(type.getValue(), element)) {
                switch (type.getKey()) {
                    case "AWS" -> everyone |= awsPrincipal(value, element, accounts, users);
                    case "Service" -> services.add(value);
                    default -> { } // Federated, CanonicalUser: valid, and name no Sluice caller
                }
            }
        }
        return new Principals(everyone, Set.copyOf(accounts), Set.copyOf(users), Set.copyOf(services));
    }

    /** Adds one AWS principal; true when it is {@code "*"}. */
    private static boolean awsPrincipal(String value, String element, Set<String> accounts, Set<String> users) {
        if (value.equals("*")) {
            return true;
        }
        if (ACCOUNT_ID.matcher(value).matches()) {
            accounts.add(value);
            return false;
        }
        var root = ROOT_ARN.matcher(value);
        if (root.matches()) {
            accounts.add(root.group(1));
            return false;
        }
        if (!value.startsWith("arn:") || value.contains("*") || value.contains("?")) {
            throw new PolicyRefused(element + " " + value + " is not an account id, an ARN or *");
        }
        users.add(value); // roles and other ARNs are kept: they simply never name a Sluice key
        return false;
    }

    private static List<Condition> conditions(JsonNode condition) {
        if (condition == null) {
            return List.of();
        }
        if (!condition.isObject()) {
            throw new PolicyRefused("Condition must be a JSON object");
        }
        List<Condition> conditions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> entry = operators.next();
            String name = entry.getKey();
            boolean ifExists = name.endsWith(IF_EXISTS) && name.length() > IF_EXISTS.length();
            ConditionOperator operator = ConditionOperator.named(ifExists
                            ? name.substring(0, name.length() - IF_EXISTS.length()) : name)
                    .filter(found -> !(ifExists && found == ConditionOperator.NULL))
                    .orElseThrow(() -> new PolicyRefused("Condition operator " + name + " is not supported"));
            if (!entry.getValue().isObject() || entry.getValue().isEmpty()) {
                throw new PolicyRefused("Condition " + name + " must map condition keys to values");
            }
            Iterator<Map.Entry<String, JsonNode>> keys = entry.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> key = keys.next();
                conditions.add(condition(operator, ifExists, name, key.getKey(), key.getValue()));
            }
        }
        return conditions;
    }

    private static Condition condition(ConditionOperator operator, boolean ifExists, String operatorName,
            String keyName, JsonNode values) {
        ConditionKey key = ConditionKey.named(keyName)
                .orElseThrow(() -> new PolicyRefused("Condition key " + keyName + " is not supported"));
        if (!operator.accepts(key)) {
            throw new PolicyRefused("Condition operator " + operatorName + " cannot be used with " + keyName);
        }
        List<String> texts = conditionValues(values, operatorName + " " + keyName);
        if (operator == ConditionOperator.NULL) {
            if (texts.size() != 1 || !(texts.get(0).equals("true") || texts.get(0).equals("false"))) {
                throw new PolicyRefused("Condition Null " + keyName + " must be true or false");
            }
            return new Condition(operator, false, key, List.of(), texts.get(0).equals("true"));
        }
        return new Condition(operator, ifExists, key, texts.stream().map(operator::compile).toList(), false);
    }

    /** Condition values are strings or booleans, alone or in a non-empty array. */
    private static List<String> conditionValues(JsonNode node, String what) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isTextual() && !value.isBoolean()) {
                throw new PolicyRefused("Condition " + what + " values must be strings");
            }
            values.add(value.asText());
        }
        if (values.isEmpty()) {
            throw new PolicyRefused("Condition " + what + " needs at least one value");
        }
        return values;
    }

    private static List<String> strings(JsonNode node, String what) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray() && !node.isEmpty()) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : node) {
                values.add(text(value, what));
            }
            return values;
        }
        throw new PolicyRefused(what + " must be a string or a non-empty array of strings");
    }

    private static String text(JsonNode node, String what) {
        if (!node.isTextual()) {
            throw new PolicyRefused(what + " values must be strings");
        }
        return node.asText();
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String what) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new PolicyRefused("unknown " + what + " element " + name);
            }
        });
    }
}
