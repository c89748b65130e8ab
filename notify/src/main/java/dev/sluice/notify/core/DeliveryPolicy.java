package dev.sluice.notify.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.SnsError;
import java.time.Duration;

/**
 * SNS's HTTP(S) delivery policy: how many times and how far apart a failed delivery is retried, and how
 * many deliveries a second a subscription gets. Retries run in four phases: immediate
 * ({@code numNoDelayRetries}), pre-backoff ({@code numMinDelayRetries} at {@code minDelayTarget}),
 * backoff (from min to max along {@code backoffFunction}), post-backoff ({@code numMaxDelayRetries} at
 * {@code maxDelayTarget}). Defaults are SNS's for HTTP: 3 retries 20 s apart. Immutable.
 */
public record DeliveryPolicy(int numRetries, int numNoDelayRetries, int numMinDelayRetries, int numMaxDelayRetries,
        int minDelayTargetSeconds, int maxDelayTargetSeconds, Backoff backoffFunction, Integer maxReceivesPerSecond) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final DeliveryPolicy HTTP_DEFAULT = new DeliveryPolicy(3, 0, 0, 0, 20, 20, Backoff.LINEAR, null);
    /**
     * SNS's fixed policy for email (SMTP), which no DeliveryPolicy changes: 2 retries 10 s apart, 10 backing off
     * exponentially from 10 s to 600 s, then 38 at 600 s; 50 retries over about 6 hours.
     */
    public static final DeliveryPolicy SMTP_DEFAULT = new DeliveryPolicy(50, 0, 2, 38, 10, 600, Backoff.EXPONENTIAL, null);
    /**
     * SNS's fixed policy for AWS-managed endpoints (Amazon SQS, Lambda), which no DeliveryPolicy changes: 3 retries at
     * once, 2 a second apart, 10 backing off exponentially from 1 s to 20 s, then 100,000 20 s apart; over 23 days.
     */
    public static final DeliveryPolicy SQS_DEFAULT = new DeliveryPolicy(100_015, 3, 2, 100_000, 1, 20, Backoff.EXPONENTIAL,
            null);
    private static final int MAX_RETRIES = 100;
    private static final int MAX_DELAY_SECONDS = 3600;

    /** The shape of the backoff phase's delays between min and max; {@code t} runs from 0 (first) to 1 (last retry). */
    public enum Backoff {
        LINEAR, ARITHMETIC, GEOMETRIC, EXPONENTIAL;

        double fraction(int step, int steps) {
            if (steps <= 1) {
                return 1.0;
            }
            double t = (double) (step - 1) / (steps - 1);
            return switch (this) {
                case LINEAR -> t;
                case ARITHMETIC -> t * t;
                case GEOMETRIC -> (Math.pow(2, t * (steps - 1)) - 1) / (Math.pow(2, steps - 1) - 1);
                case EXPONENTIAL -> (Math.exp(t * (steps - 1)) - 1) / (Math.exp(steps - 1) - 1);
            };
        }
    }

    /** Delivery attempts in all: the first one plus {@code numRetries}. */
    public int maxAttempts() {
        return numRetries + 1;
    }

    /** The wait before retry number {@code retry} (1 = the retry after the first failed attempt). */
    public Duration delayBeforeRetry(int retry) {
        if (retry <= numNoDelayRetries) {
            return Duration.ZERO;
        }
        if (retry <= numNoDelayRetries + numMinDelayRetries) {
            return Duration.ofSeconds(minDelayTargetSeconds);
        }
        int backoffSteps = numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries;
        int step = retry - numNoDelayRetries - numMinDelayRetries;
        if (step > backoffSteps) {
            return Duration.ofSeconds(maxDelayTargetSeconds);
        }
        double seconds = minDelayTargetSeconds
                + (maxDelayTargetSeconds - minDelayTargetSeconds) * backoffFunction.fraction(step, backoffSteps);
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * The effective policy of an HTTP(S) subscription: its own {@code DeliveryPolicy} attribute when set,
     * else the topic's {@code http} / {@code https} default, else SNS's default; email always has SNS's SMTP policy.
     */
    public static DeliveryPolicy effective(String subscriptionPolicy, String topicPolicy, String protocol) {
        if (protocol.startsWith("email")) {
            return SMTP_DEFAULT;
        }
        if (subscriptionPolicy != null && !subscriptionPolicy.isEmpty()) {
            return parseSubscriptionPolicy(subscriptionPolicy);
        }
        if (topicPolicy != null && !topicPolicy.isEmpty()) {
            JsonNode forProtocol = read(topicPolicy).path(protocol);
            if (forProtocol.isObject()) {
                return fromNodes(forProtocol.path("defaultHealthyRetryPolicy"), forProtocol.path("defaultThrottlePolicy"));
            }
        }
        return HTTP_DEFAULT;
    }

    /** Parses and checks a subscription's {@code DeliveryPolicy}; InvalidParameter when malformed or out of range. */
    public static DeliveryPolicy parseSubscriptionPolicy(String json) {
        JsonNode root = read(json);
        return fromNodes(root.path("healthyRetryPolicy"), root.path("throttlePolicy"));
    }

    /** Checks a topic's {@code DeliveryPolicy} (per-protocol defaults); InvalidParameter when malformed. */
    public static void checkTopicPolicy(String json) {
        JsonNode root = read(json);
        for (String protocol : new String[] {"http", "https"}) {
            JsonNode forProtocol = root.path(protocol);
            if (!forProtocol.isMissingNode()) {
                fromNodes(forProtocol.path("defaultHealthyRetryPolicy"), forProtocol.path("defaultThrottlePolicy"));
            }
        }
    }

    /** A subscription's policy as SNS shows it in {@code EffectiveDeliveryPolicy}. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        putHealthy(root.putObject("healthyRetryPolicy"));
        root.putNull("sicklyRetryPolicy");
        if (maxReceivesPerSecond == null) {
            root.putNull("throttlePolicy");
        } else {
            root.putObject("throttlePolicy").put("maxReceivesPerSecond", maxReceivesPerSecond);
        }
        root.put("guaranteed", false);
        return root.toString();
    }

    /** A topic's HTTP default as SNS shows it in the topic's {@code EffectiveDeliveryPolicy}. */
    public String toTopicJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode http = root.putObject("http");
        putHealthy(http.putObject("defaultHealthyRetryPolicy"));
        http.put("disableSubscriptionOverrides", false);
        if (maxReceivesPerSecond != null) {
            http.putObject("defaultThrottlePolicy").put("maxReceivesPerSecond", maxReceivesPerSecond);
        }
        return root.toString();
    }

    private void putHealthy(ObjectNode healthy) {
        healthy.put("minDelayTarget", minDelayTargetSeconds).put("maxDelayTarget", maxDelayTargetSeconds)
                .put("numRetries", numRetries).put("numMaxDelayRetries", numMaxDelayRetries)
                .put("numNoDelayRetries", numNoDelayRetries).put("numMinDelayRetries", numMinDelayRetries)
                .put("backoffFunction", backoffFunction.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static DeliveryPolicy fromNodes(JsonNode healthy, JsonNode throttle) {
        DeliveryPolicy d = HTTP_DEFAULT;
        int min = integer(healthy, "minDelayTarget", d.minDelayTargetSeconds);
        int max = integer(healthy, "maxDelayTarget", Math.max(min, d.maxDelayTargetSeconds));
        int retries = integer(healthy, "numRetries", d.numRetries);
        int noDelay = integer(healthy, "numNoDelayRetries", 0);
        int minRetries = integer(healthy, "numMinDelayRetries", 0);
        int maxRetries = integer(healthy, "numMaxDelayRetries", 0);
        Backoff backoff = backoff(healthy.path("backoffFunction"));
        Integer perSecond = throttle.isObject() && throttle.has("maxReceivesPerSecond")
                ? integer(throttle, "maxReceivesPerSecond", 1) : null;
        if (retries < 0 || retries > MAX_RETRIES || min < 1 || max < min || max > MAX_DELAY_SECONDS || noDelay < 0
                || minRetries < 0 || maxRetries < 0 || noDelay + minRetries + maxRetries > retries
                || (perSecond != null && perSecond < 1)) {
            throw SnsError.invalidParameter("DeliveryPolicy: numRetries 0-" + MAX_RETRIES + ", 1 <= minDelayTarget <= "
                    + "maxDelayTarget <= " + MAX_DELAY_SECONDS + ", phase retries within numRetries, "
                    + "maxReceivesPerSecond >= 1");
        }
        return new DeliveryPolicy(retries, noDelay, minRetries, maxRetries, min, max, backoff, perSecond);
    }

    private static Backoff backoff(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Backoff.LINEAR;
        }
        try {
            return Backoff.valueOf(node.asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SnsError.invalidParameter("DeliveryPolicy: backoffFunction must be linear, arithmetic, geometric "
                    + "or exponential");
        }
    }

    private static int integer(JsonNode parent, String field, int fallback) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw SnsError.invalidParameter("DeliveryPolicy: " + field + " must be an integer");
        }
        return node.intValue();
    }

    private static JsonNode read(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw SnsError.invalidParameter("DeliveryPolicy: must be a JSON object");
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SnsError.invalidParameter("DeliveryPolicy: not valid JSON");
        }
    }
}
