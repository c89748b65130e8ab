package dev.sluice.broker.ops;

import dev.sluice.broker.api.http.ApiCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Requests and their latency per API and action ({@code SendMessage} over SQS JSON or Query, {@code Publish} over SNS,
 * a REST operation id), and failures per error code, whatever path the request came on: the first handler of the
 * router, it times each request to the end of its response and reads the labels the answering route put
 * ({@link ApiCall}). A request no API claimed (health, metrics, an unknown path) counts as {@code api="other"},
 * {@code action="none"}. Runs on the event loop; Micrometer's meters are thread-safe.
 */
public final class ApiMeters implements Handler<RoutingContext> {
    /** Prometheus: {@code sluice_api_request_seconds_count}, {@code _sum}, {@code _bucket}. */
    static final String REQUESTS = "sluice.api.request";
    /** Prometheus: {@code sluice_api_failed_requests_total}. */
    static final String ERRORS = "sluice.api.failed.requests";
    /** Latency buckets from a quick send to the longest long poll (20 s). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(21)};

    private final MeterRegistry meters;
    /**
     * The timers and counters by their labels, so that a request looks its meter up instead of building it (a builder,
     * its tags and an id per request, the registry's lookup after): labels are bounded (actions, statuses, codes).
     */
    private final java.util.Map<Labels, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Labels, Counter> failures = new java.util.concurrent.ConcurrentHashMap<>();

    private record Labels(String api, String action, String statusOrCode) {
    }

    public ApiMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void handle(RoutingContext context) {
        long start = System.nanoTime();
        context.addEndHandler(ended -> record(context, System.nanoTime() - start));
        context.next();
    }

    private void record(RoutingContext context, long nanos) {
        String api = context.get(ApiCall.API, "other");
        String action = context.get(ApiCall.ACTION, "none");
        String error = context.get(ApiCall.ERROR);
        String status = statusLabel(context.response().getStatusCode());
        timers.computeIfAbsent(new Labels(api, action, status), labels -> Timer.builder(REQUESTS)
                        .description("API requests by API, action and HTTP status, timed to the end of the response "
                                + "(long polls included)")
                        .tags("api", labels.api(), "action", labels.action(), "status", labels.statusOrCode())
                        .serviceLevelObjectives(BUCKETS)
                        .register(meters))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (error != null) {
            failures.computeIfAbsent(new Labels(api, action, error), labels -> Counter.builder(ERRORS)
                            .description("API requests answered with an error, by API, action and error code")
                            .baseUnit("requests")
                            .tags("api", labels.api(), "action", labels.action(), "code", labels.statusOrCode())
                            .register(meters))
                    .increment();
        }
    }

    private static final String[] STATUS_LABELS = java.util.stream.IntStream.range(0, 600).mapToObj(Integer::toString)
            .toArray(String[]::new);

    private static String statusLabel(int status) {
        return status >= 0 && status < STATUS_LABELS.length ? STATUS_LABELS[status] : Integer.toString(status);
    }
}
