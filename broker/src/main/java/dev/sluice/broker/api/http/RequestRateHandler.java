package dev.sluice.broker.api.http;

import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.quota.ApiFamily;
import dev.sluice.broker.quota.RequestRateLimiter;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SqsError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The request-rate quota at the edge, right after {@link AuthenticationHandler}: a request of an account with rate
 * quotas takes one token of its {@link ApiFamily} ({@link RequestFamilies}; a batch is one call) or is refused in its
 * own protocol with the error the AWS SDKs treat as throttling and retry with backoff: SQS (JSON and Query)
 * {@code RequestThrottled} (HTTP 400, as the SQS API reference gives it; JSON {@code __type}
 * {@code com.amazonaws.sqs#RequestThrottled} with {@code x-amzn-query-error: RequestThrottled;Sender}), SNS
 * {@code Throttled} (HTTP 429), REST 429 {@code RequestThrottled} with {@code Retry-After: 1}. Unsigned requests
 * (auth off, exempt paths) and accounts without rate quotas pass untouched. Runs on the event loop; never blocks.
 */
public final class RequestRateHandler implements Handler<RoutingContext> {
    private final RequestRateLimiter limiter;
    private final ProtocolErrorResponder errors;

    public RequestRateHandler(RequestRateLimiter limiter, Supplier<String> requestIds) {
        this.limiter = limiter;
        this.errors = new ProtocolErrorResponder(requestIds);
    }

    @Override
    public void handle(RoutingContext context) {
        Caller caller = context.get(AuthenticationHandler.ACCOUNT_CALLER);
        if (caller == null || !limiter.limits(caller.accountId())) {
            context.next();
            return;
        }
        boolean signedForSns = "sns".equals(context.get(AuthenticationHandler.SIGNED_SERVICE));
        ApiFamily family = RequestFamilies.of(context, signedForSns);
        if (limiter.tryAcquire(caller.accountId(), family)) {
            context.next();
            return;
        }
        context.response().putHeader("Retry-After", "1");
        errors.respond(context, SqsError.REQUEST_THROTTLED, 429, SqsError.REQUEST_THROTTLED, SnsError.THROTTLED,
                "Rate exceeded: account " + caller.accountId() + " is over its " + family.quota().field()
                        + " quota; retry with backoff.", signedForSns);
    }
}
