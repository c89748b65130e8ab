package dev.sluice.faasbridge.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A message attribute as Lambda's SQS event spells it: {@code stringValue} or {@code binaryValue}
 * (base64), the always-empty list fields, and {@code dataType}.
 */
public record SqsMessageAttribute(
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("stringValue") String stringValue,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("binaryValue") String binaryValue,
        @JsonProperty("stringListValues") List<String> stringListValues,
        @JsonProperty("binaryListValues") List<String> binaryListValues,
        @JsonProperty("dataType") String dataType) {
    public SqsMessageAttribute {
        stringListValues = stringListValues == null ? List.of() : List.copyOf(stringListValues);
        binaryListValues = binaryListValues == null ? List.of() : List.copyOf(binaryListValues);
    }
}
