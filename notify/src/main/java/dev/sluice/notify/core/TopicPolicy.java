package dev.sluice.notify.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.filter.CidrBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A topic's access policy (the {@code Policy} attribute), reduced to what decides a same-account request:
 * its {@code Deny} statements. Every access key belongs to the one account Sluice serves, and within an
 * account AWS lets an identity's permissions allow what the resource policy does not mention, so only an
 * explicit Deny can refuse; Allow statements are read for their shape only.
 *
 * <p>A Deny statement matches when its principal, action and resource all match and its conditions hold:
 * <ul>
 * <li>Principal {@code "*"} or {@code {"AWS": "*"}} matches every caller, the anonymous one included; the
 *     account id, {@code arn:aws:iam::<account>:root} or {@code arn:aws:iam::<account>:user/<accessKeyId>}
 *     match signed callers (the whole account, or one key); other principal types (Service, Federated)
 *     match no Sluice caller.</li>
 * <li>Action: {@code sns:<Action>} names, case-insensitive, with {@code *} and {@code ?} wildcards.</li>
 * <li>Resource: topic ARNs with {@code *} and {@code ?} wildcards.</li>
 * <li>Condition: only {@code IpAddress} / {@code NotIpAddress} on {@code aws:SourceIp} can be evaluated
 *     faithfully here. A Deny with any other condition, or with NotPrincipal / NotAction / NotResource, is
 *     refused when the policy is set ({@code InvalidParameter}) rather than silently never matching.</li>
 * </ul>
 * Immutable; thread-safe.
 */
public final class TopicPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> POLICY_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    /** A policy that denies nothing (no Policy attribute, or only Allow statements). */
    public static final TopicPolicy ALLOW_ALL = new TopicPolicy(List.of());

    private final List<Deny> denies;

    private TopicPolicy(List<Deny> denies) {
        this.denies = List.copyOf(denies);
    }

    /** One Deny statement: principals (null means every one), action and resource patterns, IP conditions. */
    private record Deny(List<String> principals, List<Pattern> actions, List<Pattern> resources,
            List<IpCondition> conditions) {
    }

    /** {@code IpAddress} (inside one of the blocks) or {@code NotIpAddress} (inside none) on aws:SourceIp. */
    private record IpCondition(boolean inside, List<CidrBlock> blocks) {
        boolean holds(String sourceIp) {
            if (sourceIp == null) {
                return false;
            }
            boolean in = blocks.stream().anyMatch(block -> block.containsLiteral(sourceIp));
            return in == inside;
        }
    }

    /**
     * Reads a Policy attribute value; empty or null is {@link #ALLOW_ALL}.
     *
     * @throws SnsException InvalidParameter naming what is wrong or unsupported
     */
    public static TopicPolicy parse(String json) {
        if (json == null || json.isBlank()) {
            return ALLOW_ALL;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("the policy is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("the policy must be a JSON object");
        }
        checkKeys(root, POLICY_KEYS, "policy");
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isObject() || statements.isArray())) {
            throw invalid("the policy needs a Statement (an object or an array of objects)");
        }
        List<Deny> denies = new ArrayList<>();
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            Deny deny = statement(statement);
            if (deny != null) {
                denies.add(deny);
            }
        }
        return new TopicPolicy(denies);
    }

    /** True when a Deny statement matches this caller, action (e.g. {@code Publish}) and topic ARN. */
    public boolean denies(Caller caller, String accountId, String action, String topicArn) {
        String actionName = "sns:" + action.toLowerCase(Locale.ROOT);
        for (Deny deny : denies) {
            if (principalMatches(deny.principals(), caller, accountId)
                    && deny.actions().stream().anyMatch(pattern -> pattern.matcher(actionName).matches())
                    && deny.resources().stream().anyMatch(pattern -> pattern.matcher(topicArn).matches())
                    && deny.conditions().stream().allMatch(condition -> condition.holds(caller.sourceIp()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean principalMatches(List<String> principals, Caller caller, String accountId) {
        if (principals == null) {
            return true;
        }
        if (caller.isAnonymous()) {
            return false;
        }
        for (String principal : principals) {
            if (principal.equals(accountId) || principal.equals("arn:aws:iam::" + accountId + ":root")
                    || principal.equals(caller.principal(accountId))) {
                return true;
            }
        }
        return false;
    }

    /** The Deny a statement makes, or null for an Allow. */
    private static Deny statement(JsonNode statement) {
        if (!statement.isObject()) {
            throw invalid("every Statement must be a JSON object");
        }
        checkKeys(statement, STATEMENT_KEYS, "statement");
        String effect = statement.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw invalid("Effect must be Allow or Deny");
        }
        if (effect.equals("Allow")) {
            return null;
        }
        for (String unsupported : List.of("NotPrincipal", "NotAction", "NotResource")) {
            if (statement.has(unsupported)) {
                throw invalid(unsupported + " in a Deny statement is not supported");
            }
        }
        if (!statement.has("Principal") || !statement.has("Action") || !statement.has("Resource")) {
            throw invalid("a Deny statement needs Principal, Action and Resource");
        }
        List<Pattern> actions = strings(statement.get("Action"), "Action").stream().map(action -> {
            String lower = action.toLowerCase(Locale.ROOT);
            if (!lower.equals("*") && !lower.startsWith("sns:")) {
                throw invalid("Action " + AttributeLimits.shown(action) + " is not an SNS action");
            }
            return wildcard(lower);
        }).toList();
        List<Pattern> resources = strings(statement.get("Resource"), "Resource").stream()
                .map(TopicPolicy::wildcard).toList();
        return new Deny(principals(statement.get("Principal")), actions, resources,
                conditions(statement.get("Condition")));
    }

    /** Null for every principal ({@code "*"} or {@code {"AWS":"*"}}), else the AWS principals named. */
    private static List<String> principals(JsonNode principal) {
        if (principal.isTextual()) {
            if (!principal.asText().equals("*")) {
                throw invalid("Principal must be \"*\" or an object such as {\"AWS\": ...}");
            }
            return null;
        }
        if (!principal.isObject()) {
            throw invalid("Principal must be \"*\" or an object such as {\"AWS\": ...}");
        }
        List<String> named = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> types = principal.fields();
        while (types.hasNext()) {
            Map.Entry<String, JsonNode> type = types.next();
            List<String> values = strings(type.getValue(), "Principal");
            if (type.getKey().equals("AWS")) {
                if (values.contains("*")) {
                    return null;
                }
                named.addAll(values);
            }
        }
        return named;
    }

    private static List<IpCondition> conditions(JsonNode condition) {
        if (condition == null) {
            return List.of();
        }
        if (!condition.isObject()) {
            throw invalid("Condition must be a JSON object");
        }
        List<IpCondition> conditions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> operator = operators.next();
            boolean inside = operator.getKey().equals("IpAddress");
            if (!inside && !operator.getKey().equals("NotIpAddress")) {
                throw invalid("condition operator " + operator.getKey() + " is not supported in a Deny statement "
                        + "(only IpAddress and NotIpAddress on aws:SourceIp)");
            }
            if (!operator.getValue().isObject()) {
                throw invalid("condition " + operator.getKey() + " must map keys to values");
            }
            Iterator<Map.Entry<String, JsonNode>> keys = operator.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (!key.getKey().equalsIgnoreCase("aws:SourceIp")) {
                    throw invalid("condition key " + key.getKey() + " is not supported in a Deny statement "
                            + "(only aws:SourceIp)");
                }
                List<CidrBlock> blocks = new ArrayList<>();
                for (String block : strings(key.getValue(), "aws:SourceIp")) {
                    try {
                        blocks.add(CidrBlock.parse(block));
                    } catch (IllegalArgumentException e) {
                        throw invalid("aws:SourceIp value " + block + " is not an IP address or CIDR block");
                    }
                }
                conditions.add(new IpCondition(inside, blocks));
            }
        }
        return conditions;
    }

    private static List<String> strings(JsonNode node, String what) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray() && !node.isEmpty()) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : node) {
                if (!value.isTextual()) {
                    throw invalid(what + " values must be strings");
                }
                values.add(value.asText());
            }
            return values;
        }
        throw invalid(what + " must be a string or a non-empty array of strings");
    }

    /** IAM wildcards: {@code *} any run of characters, {@code ?} one character; everything else literal. */
    private static Pattern wildcard(String text) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String what) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw invalid("unknown " + what + " element " + name);
            }
        });
    }

    private static SnsException invalid(String reason) {
        return SnsError.invalidParameter("Policy Error: " + reason);
    }
}
