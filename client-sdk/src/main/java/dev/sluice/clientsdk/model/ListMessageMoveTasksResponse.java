package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ListMessageMoveTasks output, most recent first. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListMessageMoveTasksResponse(
        @JsonProperty("Results") List<ListMessageMoveTasksResultEntry> results) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ListMessageMoveTasksResponse {
        results = Copies.list(results);
    }
}
