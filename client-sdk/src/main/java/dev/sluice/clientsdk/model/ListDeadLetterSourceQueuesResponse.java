package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ListDeadLetterSourceQueues output (the JSON member is {@code queueUrls}, lowercase, as in SQS). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListDeadLetterSourceQueuesResponse(
        @JsonProperty("queueUrls") List<String> queueUrls,
        @JsonProperty("NextToken") String nextToken) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ListDeadLetterSourceQueuesResponse {
        queueUrls = Copies.list(queueUrls);
    }
}
