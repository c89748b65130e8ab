package dev.sluice.clientsdk.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for the records' compact constructors: null becomes empty, order is kept. */
final class Copies {

    private Copies() {
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Keeps insertion order (so encoded responses are deterministic); rejects null keys and values. */
    static <K, V> Map<K, V> map(Map<K, V> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<K, V> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new NullPointerException("null key or value in " + values.keySet());
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
