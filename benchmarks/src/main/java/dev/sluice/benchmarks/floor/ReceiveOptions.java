package dev.sluice.benchmarks.floor;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one ReceiveMessage asks of a {@link MemoryQueue}: how many messages, how long they stay invisible (null: the
 * queue's default) and which message attributes come back ({@code All}, {@code .*}, names, or {@code prefix.*}).
 */
record ReceiveOptions(int maxMessages, Duration visibility, List<String> attributeNames) {

    ReceiveOptions {
        attributeNames = attributeNames == null ? List.of() : List.copyOf(attributeNames);
    }

    /** The attributes of {@code attributes} this receive asked for, as SQS selects them. */
    Map<String, MessageAttributeValue> selectAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes.isEmpty() || attributeNames.isEmpty()) {
            return Map.of();
        }
        Map<String, MessageAttributeValue> selected = new HashMap<>();
        attributes.forEach((name, value) -> {
            if (asked(name)) {
                selected.put(name, value);
            }
        });
        return selected;
    }

    private boolean asked(String name) {
        for (String wanted : attributeNames) {
            if (wanted.equals("All") || wanted.equals(".*") || wanted.equals(name)
                    || (wanted.endsWith(".*") && name.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
