package dev.sluice.broker.service;

import dev.sluice.clientsdk.model.BatchResultErrorEntry;
import java.util.List;

/**
 * The outcome of checking a batch whose request as a whole is valid: the entries to pass on to the
 * engine, and the entries that already failed (with the error's legacy code, as SQS reports them).
 */
public record BatchCheck<E>(List<E> accepted, List<BatchResultErrorEntry> failed) {

    public BatchCheck {
        accepted = List.copyOf(accepted);
        failed = List.copyOf(failed);
    }
}
