package dev.sluice.broker.core;

/**
 * The limits the engine applies itself (they need queue state). The values come from the service
 * layer's {@code SqsLimits}, so that limits live in one record.
 *
 * @param maxInFlightStandard in-flight messages of a standard queue before OverLimit
 * @param maxInFlightFifo in-flight messages of a FIFO queue before receives return nothing (SQS: no error)
 * @param deduplicationIntervalMillis how long a FIFO deduplication id or ReceiveRequestAttemptId is remembered
 */
public record EngineLimits(int maxInFlightStandard, int maxInFlightFifo, long deduplicationIntervalMillis) {
}
