package dev.sluice.faasbridge.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Lambda's SQS event: {@code {"Records":[...]}}, oldest first as received. */
public record SqsEvent(@JsonProperty("Records") List<SqsEventRecord> records) {
    public SqsEvent {
        records = List.copyOf(records);
    }
}
