package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * DeleteMessageBatch input. {@code invocationBill} is not part of SQS: set only in-process, by the function bridge
 * deleting the messages a function invocation handled, it bills that invocation to the function's owner in the apply
 * of the delete, if the delete removes a message. No protocol decodes or encodes it (a client cannot bill another
 * account); null everywhere else.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageBatchRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Entries") List<DeleteMessageBatchRequestEntry> entries,
        @JsonIgnore InvocationBill invocationBill) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public DeleteMessageBatchRequest {
        entries = Copies.list(entries);
    }

    /** A tenant's batch: bills no invocation. */
    public DeleteMessageBatchRequest(String queueUrl, List<DeleteMessageBatchRequestEntry> entries) {
        this(queueUrl, entries, null);
    }

    /** This request with other entries, billing the same invocation. */
    public DeleteMessageBatchRequest withEntries(List<DeleteMessageBatchRequestEntry> otherEntries) {
        return new DeleteMessageBatchRequest(queueUrl, otherEntries, invocationBill);
    }
}
