package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A mapping's scaling: {@code maximumConcurrency} invocations at once across bridges, 2-1000. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScalingConfig(@JsonProperty("MaximumConcurrency") Integer maximumConcurrency) {
}
