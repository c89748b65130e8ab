package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ListQueues output; {@code nextToken} is null on the last page. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListQueuesResponse(
        @JsonProperty("QueueUrls") List<String> queueUrls,
        @JsonProperty("NextToken") String nextToken) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ListQueuesResponse {
        queueUrls = Copies.list(queueUrls);
    }
}
