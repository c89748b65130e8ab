package dev.sluice.notify.core;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A subscription as stored in the catalog, under {@code topicName/id}.
 *
 * @param id a UUID: the last part of the subscription ARN and the name of its delivery queue
 * @param topicName the topic it belongs to
 * @param protocol sqs, http, https, email, email-json, lambda or function (the last two alike)
 * @param endpoint an SQS queue ARN, a URL, an email address or a Lambda function ARN
 * @param attributes the settable attributes as given (FilterPolicy, RawMessageDelivery, ...)
 * @param confirmed false until an HTTP(S) or email endpoint confirms; sqs and function subscriptions start confirmed
 * @param token the confirmation token of an HTTP(S) subscription (kept, so confirming twice succeeds)
 * @param webhookSecret the Standard Webhooks secret ({@code whsec_...}) of a push subscription, else null
 * @param owner the account that subscribed when it is not the topic's (a Subscribe across accounts the topic's Policy
 *     allowed), else null: the topic's account owns it
 */
public record Subscription(String id, String topicName, String protocol, String endpoint,
        Map<String, String> attributes, boolean confirmed, String token, String webhookSecret, String owner) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Protocols whose messages go through a delivery queue and a delivery worker. */
    /** Every protocol a subscription can have. */
    public static final Set<String> PROTOCOLS = Set.of("sqs", "http", "https", "email", "email-json", "lambda", "function");
    public static final Set<String> PUSH_PROTOCOLS = Set.of("http", "https", "email", "email-json", "lambda", "function");
    /** Protocols that invoke a function: SNS's {@code lambda} and Sluice's own name for it. */
    public static final Set<String> FUNCTION_PROTOCOLS = Set.of("lambda", "function");
    /** Protocols that may turn RawMessageDelivery on (SNS: SQS and HTTP/S only). */
    public static final Set<String> RAW_PROTOCOLS = Set.of("sqs", "http", "https");
    /** {@code arn:aws:lambda:{region}:{account}:function:{name}}, unqualified; group 1 is the function name. */
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:([A-Za-z0-9_-]{1,64})");

    public Subscription {
        attributes = Map.copyOf(attributes);
    }

    /** A subscription its topic's account owns. */
    public Subscription(String id, String topicName, String protocol, String endpoint, Map<String, String> attributes,
            boolean confirmed, String token, String webhookSecret) {
        this(id, topicName, protocol, endpoint, attributes, confirmed, token, webhookSecret, null);
    }

    /** The owning account: the subscriber's, or the topic's ({@link TopicArn#qualifiedName}) when it subscribed itself. */
    public String ownerAccount(String defaultAccount) {
        if (owner != null) {
            return owner;
        }
        int slash = topicName.indexOf('/');
        return slash < 0 ? defaultAccount : topicName.substring(0, slash);
    }

    /** This subscription, owned by {@code account} unless that is the topic's own account. */
    public Subscription ownedBy(String account, String defaultAccount) {
        String topicAccount = new Subscription(id, topicName, protocol, endpoint, attributes, confirmed, token,
                webhookSecret, null).ownerAccount(defaultAccount);
        return new Subscription(id, topicName, protocol, endpoint, attributes, confirmed, token, webhookSecret,
                account.equals(topicAccount) ? null : account);
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public boolean push() {
        return PUSH_PROTOCOLS.contains(protocol);
    }

    /** A lambda / function subscription: delivered by invoking the function its endpoint names. */
    public boolean function() {
        return FUNCTION_PROTOCOLS.contains(protocol);
    }

    /**
     * The function name of a Lambda function ARN; empty when {@code arn} is not an unqualified function ARN
     * (a {@code :alias} or {@code :version} qualifier is refused: functions here have neither).
     */
    public static java.util.Optional<String> functionName(String arn) {
        java.util.regex.Matcher matcher = arn == null ? null : FUNCTION_ARN.matcher(arn);
        return matcher != null && matcher.matches() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }

    /**
     * The stored name of the function a Lambda function ARN names: the bare name in {@code defaultAccount}, else
     * {@code account/name} (how the function bridge keys each account's functions); empty when it is not one.
     */
    public static java.util.Optional<String> functionKey(String arn, String defaultAccount) {
        return functionName(arn).map(name -> {
            String account = arn.split(":", -1)[4];
            return account.equals(defaultAccount) ? name : account + "/" + name;
        });
    }

    /** The key of this subscription's body in a {@code MessageStructure=json} message: SNS's {@code lambda} for functions. */
    public String structureKey() {
        return function() ? "lambda" : protocol;
    }

    public boolean email() {
        return protocol.startsWith("email");
    }

    public boolean rawDelivery() {
        return "true".equalsIgnoreCase(attributes.get("RawMessageDelivery"));
    }

    /**
     * The {@code deadLetterTargetArn} of a RedrivePolicy attribute value; empty without a policy.
     * Throws IllegalArgumentException when the policy is not a JSON object with a string target.
     */
    public static java.util.Optional<String> deadLetterTargetArn(String redrivePolicy) {
        if (redrivePolicy == null || redrivePolicy.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(redrivePolicy);
            if (tree == null || !tree.isObject() || !tree.path("deadLetterTargetArn").isTextual()) {
                throw new IllegalArgumentException("RedrivePolicy needs a deadLetterTargetArn");
            }
            return java.util.Optional.of(tree.path("deadLetterTargetArn").asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("RedrivePolicy is not valid JSON", e);
        }
    }

    /** This subscription's dead-letter queue ARN, or empty (a stored policy was validated when set). */
    public java.util.Optional<String> deadLetterTargetArn() {
        return deadLetterTargetArn(attributes.get("RedrivePolicy"));
    }

    public Subscription withAttribute(String name, String value) {
        Map<String, String> changed = new TreeMap<>(attributes);
        changed.put(name, value);
        return new Subscription(id, topicName, protocol, endpoint, changed, confirmed, token, webhookSecret, owner);
    }

    public Subscription confirm() {
        return new Subscription(id, topicName, protocol, endpoint, attributes, true, token, webhookSecret, owner);
    }

    /** The catalog key: subscriptions of one topic share the prefix {@code topicName/}. */
    public String key() {
        return key(topicName, id);
    }

    public static String key(String topicName, String id) {
        return topicName + "/" + id;
    }
}
