package dev.sluice.broker.core;

import static dev.sluice.broker.core.RedrivePolicyCodec.invalid;

import dev.sluice.broker.core.QueueSettings.DeduplicationScope;
import dev.sluice.broker.core.QueueSettings.FifoThroughputLimit;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Queue attributes on the wire (name to string value) to and from {@link QueueSettings}, with SQS's
 * validation: unknown, read-only or misplaced names fail with {@link SqsError#INVALID_ATTRIBUTE_NAME},
 * bad values with {@link SqsError#INVALID_ATTRIBUTE_VALUE}. Stateless and thread-safe.
 *
 * <p>Dynamic attributes (QueueArn, CreatedTimestamp, Approximate*) belong to the engine: it passes
 * them to {@link #select} which merges them with the settings and filters by requested names.
 */
public final class QueueAttributeCodec {

    private final QueueAttributeBounds bounds;
    private final RedrivePolicyCodec json;

    public QueueAttributeCodec(QueueAttributeBounds bounds) {
        this.bounds = bounds;
        this.json = new RedrivePolicyCodec(bounds);
    }

    /**
     * The settings of a new queue. FifoQueue must be {@code true} exactly when the name ends with
     * {@code .fifo} (else {@link SqsError#INVALID_PARAMETER_VALUE}); a standard queue takes no FifoQueue
     * attribute at all, not even {@code false} ({@link SqsError#INVALID_ATTRIBUTE_NAME}, as SQS answers).
     */
    public QueueSettings forCreate(String queueName, Map<String, String> attributes) {
        String fifoValue = attributes.get(QueueAttributeName.FIFO_QUEUE.wireName());
        boolean fifo = fifoValue != null && bool(QueueAttributeName.FIFO_QUEUE, fifoValue);
        if (fifoValue != null && !fifo && !queueName.endsWith(".fifo")) {
            throw unknownAttribute(QueueAttributeName.FIFO_QUEUE.wireName()); // SQS refuses FifoQueue=false on a standard queue
        }
        if (fifo != queueName.endsWith(".fifo")) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(fifo
                    ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                            + "must end with .fifo suffix and be 1 to 80 in length."
                    : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length. "
                            + "The .fifo suffix requires the FifoQueue attribute.");
        }
        return apply(QueueSettings.defaults(bounds, fifo), attributes, true);
    }

    /** The settings after SetQueueAttributes; FifoQueue cannot be changed. */
    public QueueSettings update(QueueSettings current, Map<String, String> attributes) {
        return apply(current, attributes, false);
    }

    /**
     * Checks each attribute of a SetQueueAttributes request on its own, as far as it needs no queue
     * state: names (FIFO-only names only when {@code fifoQueue}) and single values. Combinations
     * with the queue's current settings are checked by {@link #update}.
     */
    public void checkSettable(boolean fifoQueue, Map<String, String> attributes) {
        QueueSettings defaults = QueueSettings.defaults(bounds, fifoQueue);
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            QueueAttributeName name = checkedName(entry.getKey(), defaults, false);
            set(new QueueSettingsDraft(defaults), name, entry.getValue());
        }
    }

    /** The deadLetterTargetArn of a checked RedrivePolicy attribute; empty without one or when it is cleared. */
    public Optional<String> deadLetterTargetArn(Map<String, String> attributes) {
        String value = attributes.get(QueueAttributeName.REDRIVE_POLICY.wireName());
        return value == null || value.isEmpty() ? Optional.empty()
                : Optional.of(json.parseRedrivePolicy(value).deadLetterTargetArn());
    }

    /** RedriveAllowPolicy's answer for a sourceQueueArns entry it does not take: the one for a malformed ARN. */
    public static SqsException invalidRedriveSourceArn() {
        return RedrivePolicyCodec.invalidSourceArn();
    }

    /** The sourceQueueArns of a checked RedriveAllowPolicy attribute; empty without one. */
    public List<String> redriveSourceArns(Map<String, String> attributes) {
        String value = attributes.get(QueueAttributeName.REDRIVE_ALLOW_POLICY.wireName());
        return value == null || value.isEmpty() ? List.of() : json.parseRedriveAllowPolicy(value).sourceQueueArns();
    }

    /**
     * Checks the names of a GetQueueAttributes request: known attribute names or {@code All}.
     */
    public static void checkReadableNames(Collection<String> names) {
        for (String name : names) {
            if (QueueAttributeName.ofWireName(name) == null) {
                throw unknownAttribute(name);
            }
        }
    }

    /** The settings as SQS shows them: unset optional settings and FIFO-only ones of standard queues are absent. */
    public Map<String, String> render(QueueSettings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(QueueAttributeName.VISIBILITY_TIMEOUT.wireName(), Integer.toString(settings.visibilityTimeoutSeconds()));
        values.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE.wireName(), Integer.toString(settings.maximumMessageSizeBytes()));
        values.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD.wireName(),
                Integer.toString(settings.messageRetentionPeriodSeconds()));
        values.put(QueueAttributeName.DELAY_SECONDS.wireName(), Integer.toString(settings.delaySeconds()));
        values.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS.wireName(),
                Integer.toString(settings.receiveMessageWaitTimeSeconds()));
        putIfSet(values, QueueAttributeName.POLICY, settings.policy());
        putIfSet(values, QueueAttributeName.REDRIVE_POLICY,
                settings.redrivePolicy() == null ? null : json.render(settings.redrivePolicy()));
        putIfSet(values, QueueAttributeName.REDRIVE_ALLOW_POLICY,
                settings.redriveAllowPolicy() == null ? null : json.render(settings.redriveAllowPolicy()));
        if (settings.kmsMasterKeyId() != null) {
            values.put(QueueAttributeName.KMS_MASTER_KEY_ID.wireName(), settings.kmsMasterKeyId());
            values.put(QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS.wireName(),
                    Integer.toString(settings.kmsDataKeyReusePeriodSeconds()));
        }
        values.put(QueueAttributeName.SQS_MANAGED_SSE_ENABLED.wireName(), Boolean.toString(settings.sqsManagedSseEnabled()));
        if (settings.fifoQueue()) {
            values.put(QueueAttributeName.FIFO_QUEUE.wireName(), "true");
            values.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION.wireName(),
                    settings.contentBasedDeduplication().toString());
            values.put(QueueAttributeName.DEDUPLICATION_SCOPE.wireName(), settings.deduplicationScope().wireName());
            values.put(QueueAttributeName.FIFO_THROUGHPUT_LIMIT.wireName(), settings.fifoThroughputLimit().wireName());
        }
        return values;
    }

    /**
     * The GetQueueAttributes answer: rendered settings merged with the engine's dynamic values
     * (keyed by wire name), filtered by {@code requestedNames} ({@code All} selects every one; no
     * names select none), in SQS's order.
     */
    public Map<String, String> select(QueueSettings settings, Map<String, String> dynamicValues,
            Collection<String> requestedNames) {
        checkReadableNames(requestedNames);
        Set<QueueAttributeName> wanted = EnumSet.noneOf(QueueAttributeName.class);
        boolean all = requestedNames.contains(QueueAttributeName.ALL.wireName());
        requestedNames.forEach(name -> wanted.add(QueueAttributeName.ofWireName(name)));
        Map<String, String> merged = new LinkedHashMap<>(dynamicValues);
        merged.putAll(render(settings));
        Map<String, String> selected = new LinkedHashMap<>();
        for (QueueAttributeName name : QueueAttributeName.values()) {
            String value = merged.get(name.wireName());
            if (value != null && (all || wanted.contains(name))) {
                selected.put(name.wireName(), value);
            }
        }
        return Collections.unmodifiableMap(selected);
    }

    private QueueSettings apply(QueueSettings current, Map<String, String> attributes, boolean creating) {
        QueueSettingsDraft draft = new QueueSettingsDraft(current);
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            set(draft, checkedName(entry.getKey(), current, creating), entry.getValue());
        }
        if (draft.fifoThroughputLimit == FifoThroughputLimit.PER_MESSAGE_GROUP_ID
                && draft.deduplicationScope != DeduplicationScope.MESSAGE_GROUP) {
            throw invalid("FifoThroughputLimit", "perMessageGroupId requires DeduplicationScope messageGroup.");
        }
        if (draft.kmsMasterKeyId != null && draft.sqsManagedSseEnabled) {
            // A KMS key replaces SSE-SQS, unless this very request also asks for SSE-SQS.
            if ("true".equalsIgnoreCase(attributes.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED.wireName()))) {
                throw invalid("SqsManagedSseEnabled", "Only one server-side encryption option is supported per queue.");
            }
            draft.sqsManagedSseEnabled = false;
        }
        return draft.build();
    }

    /** Unknown, read-only, FifoQueue after creation, FIFO-only on standard queues: InvalidAttributeName. */
    private static QueueAttributeName checkedName(String wireName, QueueSettings current, boolean creating) {
        QueueAttributeName name = QueueAttributeName.ofWireName(wireName);
        if (name == null || !name.settable() || (name == QueueAttributeName.FIFO_QUEUE && !creating)
                || (name.fifoOnly() && !current.fifoQueue() && name != QueueAttributeName.FIFO_QUEUE)) {
            throw unknownAttribute(wireName);
        }
        return name;
    }

    private void set(QueueSettingsDraft draft, QueueAttributeName name, String value) {
        switch (name) {
            case DELAY_SECONDS -> draft.delaySeconds = integer(name, value, 0, bounds.maxDelaySeconds());
            case MAXIMUM_MESSAGE_SIZE -> draft.maximumMessageSizeBytes = integer(name, value,
                    bounds.minMaximumMessageSizeBytes(), bounds.maxMaximumMessageSizeBytes());
            case MESSAGE_RETENTION_PERIOD -> draft.messageRetentionPeriodSeconds = integer(name, value,
                    bounds.minRetentionSeconds(), bounds.maxRetentionSeconds());
            case RECEIVE_MESSAGE_WAIT_TIME_SECONDS -> draft.receiveMessageWaitTimeSeconds =
                    integer(name, value, 0, bounds.maxWaitTimeSeconds());
            case VISIBILITY_TIMEOUT -> draft.visibilityTimeoutSeconds =
                    integer(name, value, 0, bounds.maxVisibilityTimeoutSeconds());
            case KMS_DATA_KEY_REUSE_PERIOD_SECONDS -> draft.kmsDataKeyReusePeriodSeconds = integer(name, value,
                    bounds.minKmsDataKeyReusePeriodSeconds(), bounds.maxKmsDataKeyReusePeriodSeconds());
            case REDRIVE_POLICY -> draft.redrivePolicy = value.isEmpty() ? null : json.parseRedrivePolicy(value);
            case REDRIVE_ALLOW_POLICY -> draft.redriveAllowPolicy =
                    value.isEmpty() ? null : json.parseRedriveAllowPolicy(value);
            case POLICY -> draft.policy = value.isEmpty() ? null : json.parsePolicy(value);
            case KMS_MASTER_KEY_ID -> draft.kmsMasterKeyId = value.isEmpty() ? null : value;
            case SQS_MANAGED_SSE_ENABLED -> draft.sqsManagedSseEnabled = bool(name, value);
            case FIFO_QUEUE -> bool(name, value); // decided by forCreate
            case CONTENT_BASED_DEDUPLICATION -> draft.contentBasedDeduplication = bool(name, value);
            case DEDUPLICATION_SCOPE -> draft.deduplicationScope = wireEnum(name, value, DeduplicationScope.values());
            case FIFO_THROUGHPUT_LIMIT -> draft.fifoThroughputLimit = wireEnum(name, value, FifoThroughputLimit.values());
            default -> throw unknownAttribute(name.wireName());
        }
    }

    private static int integer(QueueAttributeName name, String value, int min, int max) {
        if (value == null || !value.matches("\\d{1,10}")) {
            throw invalid(name.wireName(), "Must be an integer from " + min + " to " + max + ".");
        }
        long parsed = Long.parseLong(value);
        if (parsed < min || parsed > max) {
            throw invalid(name.wireName(), "Must be an integer from " + min + " to " + max + ".");
        }
        return (int) parsed;
    }

    private static boolean bool(QueueAttributeName name, String value) {
        String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw invalid(name.wireName(), "Must be true or false.");
        }
        return lower.equals("true");
    }

    private static <E extends WireNamed> E wireEnum(QueueAttributeName name, String value, E[] candidates) {
        E found = WireNamed.find(candidates, value);
        if (found == null) {
            throw invalid(name.wireName(), "Unknown value " + value + ".");
        }
        return found;
    }

    private static void putIfSet(Map<String, String> values, QueueAttributeName name, String value) {
        if (value != null) {
            values.put(name.wireName(), value);
        }
    }

    private static SqsException unknownAttribute(String name) {
        return SqsError.INVALID_ATTRIBUTE_NAME.exception("Unknown Attribute " + name + ".");
    }
}
