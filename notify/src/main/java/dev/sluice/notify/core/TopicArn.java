package dev.sluice.notify.core;

import dev.sluice.clientsdk.SnsError;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code arn:aws:sns:{region}:{accountId}:{topicName}}; subscription ARNs append {@code :{subscriptionId}}. */
public record TopicArn(String region, String accountId, String topicName) {
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO_TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");

    /** True for SNS's topic names: 1-256 of letters, digits, hyphens, underscores; FIFO ones end in {@code .fifo}. */
    public static boolean validName(String name) {
        return name != null && (TOPIC_NAME.matcher(name).matches() || FIFO_TOPIC_NAME.matcher(name).matches());
    }

    public static Optional<TopicArn> parse(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sns") || !validName(parts[5])) {
            return Optional.empty();
        }
        return Optional.of(new TopicArn(parts[3], parts[4], parts[5]));
    }

    /** Parses or fails with SNS's InvalidParameter naming the parameter. */
    public static TopicArn require(String parameter, String arn) {
        if (arn == null || arn.isEmpty()) {
            throw SnsError.invalidParameter(parameter + " Reason: no value for required parameter");
        }
        return parse(arn).orElseThrow(() -> SnsError.invalidParameter(parameter));
    }

    @Override
    public String toString() {
        return "arn:aws:sns:" + region + ":" + accountId + ":" + topicName;
    }

    /**
     * The topic's catalog key: its bare name in {@code defaultAccount} (so topics stored before accounts existed read
     * unchanged), else {@code account/name}. A topic name holds no {@code /}, so a key with one is another account's.
     */
    public String qualifiedName(String defaultAccount) {
        return qualifiedName(accountId, topicName, defaultAccount);
    }

    public static String qualifiedName(String accountId, String topicName, String defaultAccount) {
        return accountId.equals(defaultAccount) ? topicName : accountId + "/" + topicName;
    }

    /** The ARN of the topic a {@link #qualifiedName qualified name} stands for. */
    public static TopicArn ofQualified(String region, String qualifiedName, String defaultAccount) {
        int slash = qualifiedName.indexOf('/');
        return slash < 0 ? new TopicArn(region, defaultAccount, qualifiedName)
                : new TopicArn(region, qualifiedName.substring(0, slash), qualifiedName.substring(slash + 1));
    }

    /** The topic name of a qualified name, without its account. */
    public static String bareName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.indexOf('/') + 1);
    }

    /** A subscription ARN under this topic. */
    public String subscription(String subscriptionId) {
        return this + ":" + subscriptionId;
    }

    /** The topic part and the id of a subscription ARN, or empty when it is not one. */
    public static Optional<SubscriptionArn> parseSubscription(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        int last = arn.lastIndexOf(':');
        if (last < 0) {
            return Optional.empty();
        }
        String id = arn.substring(last + 1);
        return parse(arn.substring(0, last)).filter(topic -> Subscription.validId(id))
                .map(topic -> new SubscriptionArn(topic, id));
    }

    public record SubscriptionArn(TopicArn topic, String subscriptionId) {
        @Override
        public String toString() {
            return topic.subscription(subscriptionId);
        }
    }
}
