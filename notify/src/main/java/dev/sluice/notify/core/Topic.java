package dev.sluice.notify.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as stored in the catalog.
 *
 * @param name the topic name (the catalog key)
 * @param id a random id naming its internal outbox queue, so a topic re-created after deletion never
 *     reads the old outbox
 * @param attributes the settable attributes as given (DisplayName, Policy, DeliveryPolicy, ...)
 * @param tags the resource tags
 */
public record Topic(String name, String id, Map<String, String> attributes, Map<String, String> tags) {
    public Topic {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }

    public boolean fifo() {
        return name.endsWith(".fifo");
    }

    public boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
    }

    public Topic withAttribute(String attributeName, String value) {
        Map<String, String> changed = new TreeMap<>(attributes);
        changed.put(attributeName, value);
        return new Topic(name, id, changed, tags);
    }

    public Topic withTags(Map<String, String> newTags) {
        return new Topic(name, id, attributes, newTags);
    }
}
