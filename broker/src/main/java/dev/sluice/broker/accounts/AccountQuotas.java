package dev.sluice.broker.accounts;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one account may use, set by the operator ({@code PUT /v1/admin/accounts/{id}/quotas}): request rates per API
 * family (requests per second, cluster-wide; each node holds its share, see {@code RequestRateLimiter}) and resource
 * counts. A value of {@value #UNLIMITED} means no limit. Immutable.
 *
 * @param values every {@link Quota}, each 0 (no limit) to {@link Quota#maximum}
 */
public record AccountQuotas(Map<Quota, Long> values) {
    /** The value that means no limit. */
    public static final long UNLIMITED = 0;

    /**
     * The quotas, by their stable names (REST fields, CLI options) and codes (the catalog record; an append-only
     * registry: never renumber, never reuse).
     */
    public enum Quota {
        /** SendMessage and SendMessageBatch calls per second (a batch is one call). */
        SQS_SEND_PER_SECOND("sqsSendPerSecond", 1, 3_000, 1_000_000),
        /** ReceiveMessage calls per second. */
        SQS_RECEIVE_PER_SECOND("sqsReceivePerSecond", 2, 3_000, 1_000_000),
        /** Every other SQS action per second (delete, change visibility, queue management). */
        SQS_OTHER_PER_SECOND("sqsOtherPerSecond", 3, 3_000, 1_000_000),
        /** SNS Publish and PublishBatch calls per second. */
        SNS_PUBLISH_PER_SECOND("snsPublishPerSecond", 4, 3_000, 1_000_000),
        /** Every other SNS action per second (topics, subscriptions, attributes). */
        SNS_OTHER_PER_SECOND("snsOtherPerSecond", 5, 300, 1_000_000),
        /** REST calls on functions and event source mappings per second. */
        FUNCTIONS_PER_SECOND("functionsPerSecond", 6, 100, 1_000_000),
        /** Queues the account may own. */
        QUEUES("queues", 7, 1_000, 10_000_000),
        /** SNS topics the account may own (AWS: 100,000 standard topics per account). */
        TOPICS("topics", 8, 1_000, 10_000_000),
        /** Subscriptions on the account's topics. */
        SUBSCRIPTIONS("subscriptions", 9, 10_000, 100_000_000),
        /** Event source mappings (function triggers) the account may own. */
        EVENT_SOURCE_MAPPINGS("eventSourceMappings", 10, 100, 1_000_000),
        /**
         * Payload bytes (body and attributes, as SQS sizes them) the account's queues may store together, every
         * stored message counted (visible, in flight, delayed). Checked at the edge against the cluster's sums: a
         * SendMessage, SendMessageBatch or Publish by an account at or over it is refused with OverLimit.
         */
        STORED_BYTES("storedBytes", 11, UNLIMITED, 1L << 50),
        /**
         * Messages in flight in the account's queues together (SQS's own limit is 120,000 per standard queue): a
         * ReceiveMessage by an account at or over it is refused with OverLimit, as SQS answers at its limit.
         */
        IN_FLIGHT_MESSAGES("inFlightMessages", 12, UNLIMITED, 1_000_000_000);

        private final String field;
        private final int code;
        private final long newAccountDefault;
        private final long maximum;

        Quota(String field, int code, long newAccountDefault, long maximum) {
            this.field = field;
            this.code = code;
            this.newAccountDefault = newAccountDefault;
            this.maximum = maximum;
        }

        /** The name in JSON and on the command line. */
        public String field() {
            return field;
        }

        /** The code in the catalog record. */
        public int code() {
            return code;
        }

        /** What an account created over the operator API starts with. */
        public long newAccountDefault() {
            return newAccountDefault;
        }

        /** The largest value an operator may set (a bound on what a bucket or count must hold). */
        public long maximum() {
            return maximum;
        }

        /**
         * Whether this quota came after the first format-2 release: the record leaves it out while it has no limit, so
         * a node of that release (which refuses a quota code it does not know) still reads every account no operator
         * gave one (see {@code AccountRecordCodec}).
         */
        public boolean omittedWhenUnlimited() {
            return code > EVENT_SOURCE_MAPPINGS.code;
        }

        /** The quota of this code, or null for a code this node does not know. */
        public static Quota ofCode(int code) {
            for (Quota quota : values()) {
                if (quota.code == code) {
                    return quota;
                }
            }
            return null;
        }

        /** The quota of this field name, or null. */
        public static Quota ofField(String field) {
            for (Quota quota : values()) {
                if (quota.field.equals(field)) {
                    return quota;
                }
            }
            return null;
        }
    }

    /** No limit on anything: the default account's quotas (the config keys' account must never trip a quota). */
    public static final AccountQuotas NONE = of(UNLIMITED, null);
    /**
     * What an account created over the operator API starts with, and what an account stored before quotas existed
     * reads as: rates in the spirit of AWS's defaults scaled to one self-hosted cluster, counts generous.
     */
    public static final AccountQuotas NEW_ACCOUNT = of(UNLIMITED, Quota::newAccountDefault);

    public AccountQuotas {
        Objects.requireNonNull(values, "values");
        EnumMap<Quota, Long> complete = new EnumMap<>(Quota.class);
        for (Quota quota : Quota.values()) {
            Long value = values.get(quota);
            if (value == null) {
                throw new IllegalArgumentException("quota " + quota.field + " is missing");
            }
            if (value < 0 || value > quota.maximum) {
                throw new IllegalArgumentException(quota.field + " must be 0 (no limit) to " + quota.maximum);
            }
            complete.put(quota, value);
        }
        values = java.util.Collections.unmodifiableMap(complete);
    }

    private static AccountQuotas of(long fallback, java.util.function.ToLongFunction<Quota> value) {
        EnumMap<Quota, Long> values = new EnumMap<>(Quota.class);
        for (Quota quota : Quota.values()) {
            values.put(quota, value == null ? fallback : value.applyAsLong(quota));
        }
        return new AccountQuotas(values);
    }

    /** The value of one quota; {@value #UNLIMITED} for no limit. */
    public long get(Quota quota) {
        return values.get(quota);
    }

    /** These quotas with the given ones changed (IllegalArgumentException for a value out of range). */
    public AccountQuotas with(Map<Quota, Long> changes) {
        EnumMap<Quota, Long> next = new EnumMap<>(values);
        next.putAll(changes);
        return new AccountQuotas(next);
    }
}
