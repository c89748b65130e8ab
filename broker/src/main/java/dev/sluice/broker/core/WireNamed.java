package dev.sluice.broker.core;

/** An enum constant with the spelling SQS uses on the wire ({@code messageGroup}, {@code byQueue}). */
public interface WireNamed {

    String wireName();

    /** The constant spelled {@code wireName}, or null. */
    static <E extends WireNamed> E find(E[] candidates, String wireName) {
        for (E candidate : candidates) {
            if (candidate.wireName().equals(wireName)) {
                return candidate;
            }
        }
        return null;
    }
}
