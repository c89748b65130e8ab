package dev.sluice.broker.ops;

import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.service.DeliveryHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.TreeSet;

/** The notification service's meters on the server's registry. Called once, from the composition root. */
public final class NotifyMeters {
    /** Prometheus: {@code sluice_sns_subscriptions_failing{protocol="sqs"}}. */
    public static final String FAILING_SUBSCRIPTIONS = "sluice.sns.subscriptions.failing";

    private NotifyMeters() {
    }

    /** One gauge per subscription protocol: how many subscriptions this node is failing to deliver to right now. */
    public static void register(MeterRegistry meters, DeliveryHealth health) {
        for (String protocol : new TreeSet<>(Subscription.PROTOCOLS)) {
            Gauge.builder(FAILING_SUBSCRIPTIONS, health, current -> current.failing(protocol))
                    .tag("protocol", protocol)
                    .description("Subscriptions whose latest delivery attempt from this node failed (missing queue, "
                            + "refusing endpoint, failing function); see DeliveryStatus in GetSubscriptionAttributes")
                    .register(meters);
        }
    }
}
