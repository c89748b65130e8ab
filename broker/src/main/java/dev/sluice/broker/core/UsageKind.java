package dev.sluice.broker.core;

/**
 * What an account is billed for, counted per (account, hour) in each data group's replicated state. Codes are an
 * append-only registry stored in RocksDB keys (never renumber); wire names are what {@code /v1/usage} shows.
 */
public enum UsageKind {
    /**
     * SQS API requests as AWS bills them: each action that reached the log is one request per started 64 KiB chunk of
     * its payload (a 256 KiB send is 4, a batch counts the chunks of its total payload; an action without payload is 1).
     */
    SQS_REQUESTS(1, "SqsRequests"),
    /** Payload bytes (body and message attributes, as SQS sizes them) that receives returned to clients. */
    SQS_BYTES_OUT(2, "SqsBytesOut"),
    /**
     * SNS Publish and PublishBatch requests as AWS bills them: one per started 64 KiB chunk of the request's payload
     * (messages and their attributes; a batch's total), billed to the topic's owner.
     */
    SNS_PUBLISHES(3, "SnsPublishes"),
    /**
     * SNS notifications delivered to an sqs subscription (the copy is in the subscribed queue, or in the subscription's
     * dead-letter queue when the queue is gone), one per started 64 KiB chunk of the copy (body and attributes), billed
     * to the topic's owner. Billed in the apply of the send that stores the copy ({@code SEND_SQS_DELIVERIES}, feature
     * level 3), so exact: a crash or a leader change loses none, and a send retried into a FIFO queue that deduplicates
     * it stores and bills nothing. A standard queue that takes a retried send twice holds two copies and bills two, as
     * the subscriber receives two. Below level 3 the edge counts them (lossy by its last flush, see {@code EdgeUsage}).
     */
    SNS_DELIVERIES_SQS(4, "SnsDeliveriesSqs"),
    /** SNS notifications an http or https endpoint accepted (2xx), per started 64 KiB chunk of the POSTed body. */
    SNS_DELIVERIES_HTTP(5, "SnsDeliveriesHttp"),
    /** SNS notifications the mail relay accepted (email and email-json), per started 64 KiB chunk. */
    SNS_DELIVERIES_EMAIL(6, "SnsDeliveriesEmail"),
    /**
     * SNS notifications a lambda or function subscription's function returned from, per started 64 KiB chunk: billed,
     * as every push delivery, in the apply of the delete that removes the delivered copy from its delivery queue.
     */
    SNS_DELIVERIES_LAMBDA(7, "SnsDeliveriesLambda"),
    /** Bytes of the bodies POSTed to http and https endpoints in the deliveries counted above. */
    SNS_HTTP_BYTES_OUT(8, "SnsHttpBytesOut"),
    /**
     * Function invocations, billed to the function's owner, in the apply of the delete of the messages the invocation
     * handled ({@code DELETE_BILLING_INVOCATION}, feature level 3), if that delete removes at least one of them: an
     * event source mapping's in the bridge's delete of its batch, an SNS subscription's (lambda or function protocol)
     * in the delivery worker's delete of the notification's copy after success (with its {@link #SNS_DELIVERIES_LAMBDA}).
     * Exact across crashes, leader changes and retried deletes (a retry removes nothing and bills nothing). So an
     * invocation is billed when it settled work: one whose messages all failed (no delete), or whose delete was lost
     * (its messages come back), bills nothing, and a message redelivered and invoked again bills the invocation that
     * finally settled it. Lambda bills every invocation that ran; we bill the ones the log proves, so that the same log
     * always gives the same numbers and nothing is ever billed twice. Below level 3 every invocation that ran is counted
     * at the edge when it ends, whatever the function answered (lossy by the edge's last flush, see {@code EdgeUsage}).
     */
    FUNCTION_INVOCATIONS(9, "FunctionInvocations"),
    /** The duration of those invocations, each rounded up to the millisecond (at least 1), as Lambda bills it. */
    FUNCTION_DURATION_MILLIS(10, "FunctionDurationMs"),
    /**
     * Message storage over time, in byte-hours per clock hour (as S3 meters storage, its usage type
     * {@code TimedStorage-ByteHrs}): for every queue of the account, the payload bytes it stores (body and message
     * attributes as SQS sizes them; every stored message, visible, in flight or delayed) integrated over the
     * leader-stamped time of the log. A message is stored from the entry that stores it to the entry that removes it
     * (a delete, a purge, a receive that drops it past its retention period or moves it to a dead-letter queue, the
     * queue's deletion, a move out of the group). Internal queues (topic outboxes, delivery queues: transient, serving
     * many accounts per queue), a queue closed while it is copied to another group and messages in transit between
     * groups are billed to nobody. Each queue carries its byte-milliseconds below one byte-hour into the next hour
     * (see {@link ByteHours}), so counts are whole byte-hours, never lost, attributed to the hour they complete in.
     */
    STORED_MESSAGE_BYTE_HOURS(11, "StoredMessageByteHours");

    private static final UsageKind[] BY_CODE = byCode();

    private final int code;
    private final String wireName;

    UsageKind(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    public int code() {
        return code;
    }

    public String wireName() {
        return wireName;
    }

    /** The deliveries kind of an SNS subscription protocol; null for a protocol Sluice does not deliver over. */
    public static UsageKind ofDeliveryProtocol(String protocol) {
        return switch (protocol) {
            case "sqs" -> SNS_DELIVERIES_SQS;
            case "http", "https" -> SNS_DELIVERIES_HTTP;
            case "email", "email-json" -> SNS_DELIVERIES_EMAIL;
            case "lambda", "function" -> SNS_DELIVERIES_LAMBDA;
            default -> null;
        };
    }

    /** The kind of a stored code, or null for a code this release does not know (a newer release wrote it). */
    public static UsageKind ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static UsageKind[] byCode() {
        int max = 0;
        for (UsageKind kind : values()) {
            max = Math.max(max, kind.code);
        }
        UsageKind[] table = new UsageKind[max + 1];
        for (UsageKind kind : values()) {
            if (table[kind.code] != null) {
                throw new ExceptionInInitializerError("usage kind code " + kind.code + " used twice");
            }
            table[kind.code] = kind;
        }
        return table;
    }
}
