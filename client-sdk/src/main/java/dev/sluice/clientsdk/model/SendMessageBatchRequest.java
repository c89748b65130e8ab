package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * SendMessageBatch input. {@code deliveriesBilledTo} is not part of SQS: set only in-process, by the fanout that sends
 * an SNS topic's copies to an sqs subscription's queue, it names the topic's owner, whom the queue engine bills for
 * each copy it stores. No protocol decodes or encodes it (a client cannot bill another account); null everywhere else.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageBatchRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Entries") List<SendMessageBatchRequestEntry> entries,
        @JsonIgnore String deliveriesBilledTo) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SendMessageBatchRequest {
        entries = Copies.list(entries);
    }

    /** A tenant's batch: bills nobody's deliveries. */
    public SendMessageBatchRequest(String queueUrl, List<SendMessageBatchRequestEntry> entries) {
        this(queueUrl, entries, null);
    }

    /** This request with other entries, billing the same deliveries. */
    public SendMessageBatchRequest withEntries(List<SendMessageBatchRequestEntry> otherEntries) {
        return new SendMessageBatchRequest(queueUrl, otherEntries, deliveriesBilledTo);
    }
}
