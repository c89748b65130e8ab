package dev.sluice.faasbridge.core;

/**
 * What one invocation of a function came back with.
 *
 * <ul>
 *   <li>{@link Returned}: the function ran and returned {@code payload} (raw JSON text, or null for no
 *       payload); whether that payload reports failed records is decided by {@link BatchResponseRules}.</li>
 *   <li>{@link Failed}: the function failed as a whole (an error, a timeout, no answer).</li>
 * </ul>
 */
public sealed interface InvocationOutcome {

    record Returned(String payload) implements InvocationOutcome {
    }

    /** @param errorType Lambda's {@code errorType} or a bridge-side reason such as {@code Sandbox.Timedout} */
    record Failed(String errorType, String message) implements InvocationOutcome {
    }
}
