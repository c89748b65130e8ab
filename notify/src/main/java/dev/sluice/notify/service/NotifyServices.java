package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * What the fanout and delivery workers share; built once by {@link NotifyService}. {@code mailer} is null
 * without SMTP, {@code functionDeliveries} without a function bridge.
 * {@code health} is where workers report each subscription's failed and successful deliveries.
 */
record NotifyServices(NotifyConfig config, QueueClient queueClient, NotifyCatalog catalog, InternalQueues internalQueues,
        FilterPolicies filters, Envelopes envelopes, Copies copies, WebhookClient webhooks, Mailer mailer,
        FunctionDeliveries functionDeliveries, Semaphore deliveryPermits, ScheduledExecutorService timers,
        InstantSource clock, int deliveryVisibilitySeconds, DeliveryHealth health) {
}
