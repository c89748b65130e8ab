package dev.sluice.faasbridge.core;

import java.util.Set;

/** How a batch went: every record succeeded, every record failed, or only the listed message ids failed. */
public record BatchVerdict(Kind kind, Set<String> failedMessageIds, String reason) {
    public enum Kind { ALL_SUCCEEDED, ALL_FAILED, PARTIAL }

    public BatchVerdict {
        failedMessageIds = Set.copyOf(failedMessageIds);
    }

    public static BatchVerdict allSucceeded() {
        return new BatchVerdict(Kind.ALL_SUCCEEDED, Set.of(), null);
    }

    public static BatchVerdict allFailed(String reason) {
        return new BatchVerdict(Kind.ALL_FAILED, Set.of(), reason);
    }

    public static BatchVerdict partial(Set<String> failedMessageIds) {
        return new BatchVerdict(Kind.PARTIAL, failedMessageIds, null);
    }

    public boolean failed(String messageId) {
        return kind == Kind.ALL_FAILED || failedMessageIds.contains(messageId);
    }
}
