package dev.sluice.broker.auth.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed resource policies by (service, document text), so a request evaluates a policy without parsing it: a
 * queue or topic keeps its Policy text, and equal texts share one parse. Bounded: past {@code maxEntries} the cache
 * is emptied and refills with the policies in use (cheaper than tracking recency on every request). A text that
 * cannot be parsed is cached as such. Thread-safe.
 */
public final class PolicyCache {
    private final int maxEntries;
    private final Map<Key, Parsed> parsed = new ConcurrentHashMap<>();

    private record Key(String service, String text) {
    }

    /** A document, or the refusal of an unreadable one (e.g. stored before this version checked policies). */
    public record Parsed(PolicyDocument document, PolicyRefused refusal) {
        public boolean readable() {
            return document != null;
        }
    }

    public PolicyCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** The resource policy {@code text} of a {@code service} ({@code sqs}, {@code sns}) resource, parsed once. */
    public Parsed resourcePolicy(String service, String text) {
        Key key = new Key(service, text);
        Parsed found = parsed.get(key);
        if (found != null) {
            return found;
        }
        Parsed fresh;
        try {
            fresh = new Parsed(PolicyParser.resource(text, service), null);
        } catch (PolicyRefused refused) {
            fresh = new Parsed(null, refused);
        }
        if (parsed.size() >= maxEntries) {
            parsed.clear();
        }
        parsed.put(key, fresh);
        return fresh;
    }

    int size() {
        return parsed.size();
    }
}
