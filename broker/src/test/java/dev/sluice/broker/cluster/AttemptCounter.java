package dev.sluice.broker.cluster;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the HTTP attempts of the last call a thread made through a synchronous AWS SDK client (whose retries run on
 * the calling thread). A send answered on its first attempt stored its messages once; one the SDK retried may have
 * stored them twice. That is how {@link QueueHistory} tells a copy the client's retry made from one the service made.
 */
final class AttemptCounter implements ExecutionInterceptor {
    private final ThreadLocal<int[]> attempts = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attempts.get()[0] = 0;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.get()[0]++;
    }

    /** HTTP attempts of this thread's last call. */
    int lastCall() {
        return attempts.get()[0];
    }
}
