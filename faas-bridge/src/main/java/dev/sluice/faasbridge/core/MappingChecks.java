package dev.sluice.faasbridge.core;

/** The mapping rules that need the queue's state or the function (the rest are in {@link EventSourceMapping}). */
public final class MappingChecks {
    private MappingChecks() {
    }

    /**
     * Lambda refuses a mapping whose queue would make a message visible again while the function may
     * still be working on it: the queue's visibility timeout must be at least the function's timeout.
     */
    public static void visibilityCoversTimeout(int queueVisibilityTimeoutSeconds, FunctionDefinition function) {
        if (queueVisibilityTimeoutSeconds < function.timeoutSeconds()) {
            throw FunctionDefinition.invalid("Invalid parameter: Queue visibility timeout: " + queueVisibilityTimeoutSeconds
                    + " seconds is less than Function timeout: " + function.timeoutSeconds() + " seconds");
        }
    }
}
