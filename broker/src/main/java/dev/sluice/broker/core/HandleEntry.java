package dev.sluice.broker.core;

/** One DeleteMessage entry. */
public record HandleEntry(String id, String receiptHandle) {
}
