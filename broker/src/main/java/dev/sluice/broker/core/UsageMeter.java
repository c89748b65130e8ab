package dev.sluice.broker.core;

import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the queue commands a group applies into billing units for the queue's owner (as in SQS, the queue owner pays
 * for every request on its queue, a shared queue's included), added to a {@link UsageLedger} in the hour of the
 * entry's leader-stamped time. Deterministic: the same log gives the same numbers on every replica. Called by the
 * apply thread only.
 */
public final class UsageMeter {
    public static final long HOUR_MILLIS = 3_600_000L;
    /** SQS bills each started 64 KiB chunk of a request's payload as one request. */
    public static final long CHUNK_BYTES = 64 * 1024;

    private final String defaultAccount;
    private UsageLedger ledger = UsageLedger.NONE;

    /** @param defaultAccount the account of queues whose stored name carries none */
    public UsageMeter(String defaultAccount) {
        this.defaultAccount = defaultAccount;
    }

    /** Points the meter at the ledger of the entry about to be applied. */
    public void use(UsageLedger entryLedger) {
        this.ledger = entryLedger == null ? UsageLedger.NONE : entryLedger;
    }

    /** The requests a payload of {@code payloadBytes} bills: one per started 64 KiB chunk, at least one. */
    public static long requests(long payloadBytes) {
        return Math.max(1, (payloadBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    /** The start of the hour {@code millis} falls in. */
    public static long hourOf(long millis) {
        return millis - Math.floorMod(millis, HOUR_MILLIS);
    }

    /** An action without payload on the queue of qualified name {@code queue}: one request. */
    public void request(String queue, EntryStamp stamp) {
        add(accountOf(queue), stamp, UsageKind.SQS_REQUESTS, 1);
    }

    /** An action without payload on the queue an SQS ARN names (a move task's source): one request. */
    public void requestOnArn(String arn, EntryStamp stamp) {
        String account = QueueUrl.ofArn(arn).map(url -> accountOf(url.qualifiedName(defaultAccount))).orElse(defaultAccount);
        add(account, stamp, UsageKind.SQS_REQUESTS, 1);
    }

    /**
     * A SendMessage or SendMessageBatch: the chunks of its total payload, accepted entries or not. A send into an
     * internal queue is no tenant's SQS request; a topic publish into its outbox bills the publishes its entries'
     * {@link ReservedQueueNames#BILLING_ATTRIBUTE} names (the chunks of each account's total payload in the request).
     */
    public void sent(String queue, List<SendEntry> entries, EntryStamp stamp) {
        String account = accountOf(queue);
        if (account == null) {
            publishes(entries, stamp);
            return;
        }
        long payload = 0;
        for (SendEntry entry : entries) {
            payload += entry.sizeBytes();
        }
        add(account, stamp, UsageKind.SQS_REQUESTS, requests(payload));
    }

    private void publishes(List<SendEntry> entries, EntryStamp stamp) {
        Map<String, Long> payloadByAccount = new TreeMap<>();
        for (SendEntry entry : entries) {
            MessageAttributeValue billing = entry.messageAttributes().get(ReservedQueueNames.BILLING_ATTRIBUTE);
            String value = billing == null ? null : billing.stringValue();
            int space = value == null ? -1 : value.indexOf(' ');
            long payload = space > 0 ? bytes(value.substring(space + 1)) : -1;
            if (payload >= 0) {
                payloadByAccount.merge(value.substring(0, space), payload, Long::sum);
            }
        }
        payloadByAccount.forEach((account, payload) -> add(account, stamp, UsageKind.SNS_PUBLISHES, requests(payload)));
    }

    /**
     * What a send bills per entry it stores: for copies of SNS notifications sent to an sqs subscription's queue (or its
     * dead-letter queue) with {@code topicOwner} named, one {@link UsageKind#SNS_DELIVERIES_SQS} per started 64 KiB
     * chunk of the copy, billed to the topic's owner; nothing for any other send ({@code topicOwner} null). Exactly once
     * per copy: the bill is in the entry that stores it, and a FIFO duplicate stores nothing.
     */
    public java.util.function.Consumer<SendEntry> sqsDeliveries(String topicOwner, EntryStamp stamp) {
        if (topicOwner == null) {
            return entry -> { };
        }
        return entry -> add(topicOwner, stamp, UsageKind.SNS_DELIVERIES_SQS, requests(entry.sizeBytes()));
    }

    /**
     * A receive that returned messages: the chunks of the payload it returned, and those bytes as bytes out. A receive
     * that returned nothing is not counted here: a long poll may propose several empty receives for one request.
     */
    public void received(String queue, List<ReceivedMessage> messages, EntryStamp stamp) {
        if (messages.isEmpty()) {
            return;
        }
        long payload = 0;
        for (ReceivedMessage message : messages) {
            payload += payloadOf(message.body(), message.messageAttributes());
        }
        String account = accountOf(queue);
        if (account != null) {
            add(account, stamp, UsageKind.SQS_REQUESTS, requests(payload));
            add(account, stamp, UsageKind.SQS_BYTES_OUT, payload);
        }
    }

    /**
     * What a delete on the queue of qualified name {@code queue} bills per copy it removes: on an internal queue (a
     * push subscription's delivery queue), an entry with the id {@link ReservedQueueNames#DELIVERED_ENTRY_ID} that
     * removed a copy carrying {@link ReservedQueueNames#DELIVERY_ATTRIBUTE} bills that delivery (per started 64 KiB
     * chunk, an http or https copy's bytes as bytes out) to the account it names; null (read nothing) elsewhere.
     * Exactly once per copy: only the delete that removes it bills, whoever retried what.
     */
    public java.util.function.BiConsumer<HandleEntry, StoredMessage> deliveries(String queue, EntryStamp stamp) {
        if (accountOf(queue) != null) {
            return null;
        }
        return (entry, removed) -> {
            if (!ReservedQueueNames.DELIVERED_ENTRY_ID.equals(entry.id())) {
                return;
            }
            MessageAttributeValue billing = removed.messageAttributes().get(ReservedQueueNames.DELIVERY_ATTRIBUTE);
            String[] fields = billing == null || billing.stringValue() == null ? new String[0]
                    : billing.stringValue().split(" ", -1);
            UsageKind kind = fields.length == 3 ? UsageKind.ofDeliveryProtocol(fields[1]) : null;
            long bytes = kind == null ? -1 : bytes(fields[2]);
            if (bytes >= 0 && !fields[0].isEmpty()) {
                add(fields[0], stamp, kind, requests(bytes));
                if (kind == UsageKind.SNS_DELIVERIES_HTTP) {
                    add(fields[0], stamp, UsageKind.SNS_HTTP_BYTES_OUT, bytes);
                }
            }
        };
    }

    /**
     * What a delete bills per message it removes: the push deliveries of {@link #deliveries}, and, for the delete of the
     * messages a function invocation handled ({@code invocationBilledTo} not null), that invocation and its
     * {@code invocationMillis}, once, at the first message the delete removes: a delete that removes nothing (retried,
     * or with handles a later receive replaced) bills no invocation. Null when nothing is billed (read nothing).
     */
    public java.util.function.BiConsumer<HandleEntry, StoredMessage> removals(String queue, String invocationBilledTo,
            long invocationMillis, EntryStamp stamp) {
        java.util.function.BiConsumer<HandleEntry, StoredMessage> deliveries = deliveries(queue, stamp);
        if (invocationBilledTo == null) {
            return deliveries;
        }
        boolean[] billed = {false};
        return (entry, removed) -> {
            if (deliveries != null) {
                deliveries.accept(entry, removed);
            }
            if (!billed[0]) {
                billed[0] = true;
                add(invocationBilledTo, stamp, UsageKind.FUNCTION_INVOCATIONS, 1);
                add(invocationBilledTo, stamp, UsageKind.FUNCTION_DURATION_MILLIS, invocationMillis);
            }
        };
    }

    /** A billing attribute's byte count, or -1 for one no release of ours writes (never a reason to stop applying). */
    private static long bytes(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private static long payloadOf(String body, Map<String, MessageAttributeValue> attributes) {
        return MessageSize.of(body, attributes == null ? Map.of() : attributes);
    }

    /** The account that owns the queue of qualified name {@code queue}; null for an internal queue (billed to nobody). */
    public String accountOf(String queue) {
        return accountOf(queue, defaultAccount);
    }

    /** {@link #accountOf(String)} with the account of names that carry none given. */
    public static String accountOf(String queue, String defaultAccount) {
        QueueUrl url = QueueUrl.ofQualified(queue, defaultAccount);
        return ReservedQueueNames.isReserved(url.queueName()) ? null : url.accountId();
    }

    private void add(String account, EntryStamp stamp, UsageKind kind, long amount) {
        if (account != null && amount > 0) {
            ledger.add(account, hourOf(stamp.nowMillis()), kind, amount);
        }
    }
}
