package dev.sluice.broker.core;

/** One ChangeMessageVisibility entry. */
public record VisibilityChange(String id, String receiptHandle, int visibilityTimeoutSeconds) {
}
