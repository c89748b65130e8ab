package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/** A mapping's event filters (up to 5): a record is invoked when it matches any pattern, else deleted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilterCriteria(@JsonProperty("Filters") List<Filter> filters) {

    /** One Lambda event-filtering pattern, a JSON document as a string. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Filter(@JsonProperty("Pattern") String pattern) {
    }

    public static FilterCriteria of(String... patterns) {
        return new FilterCriteria(Arrays.stream(patterns).map(Filter::new).toList());
    }
}
