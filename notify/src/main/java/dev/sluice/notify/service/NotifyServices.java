package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * What the fanout and delivery workers share; built once by {@link NotifyService}. {@code mailer} is null
 * without SMTP, {@code functionDeliveries} without a function bridge. {@code queueClient} reaches notify's own
 * internal queues; {@code subscriberQueues} every queue a tenant names (an sqs subscription's endpoint, a
 * dead-letter queue), through the tenants' checks, so that an internal queue named there is missing.
 * {@code health} is where workers report each subscription's failed and successful deliveries; {@code queuePolicies}
 * whether a topic may still send to a queue of another account; {@code usage} where delivered copies are billed;
 * {@code fanout} how a fanout moves a batch in one log entry, where the engine offers it.
 */
record NotifyServices(NotifyConfig config, QueueClient queueClient, QueueClient subscriberQueues, NotifyCatalog catalog,
        InternalQueues internalQueues,
        FilterPolicies filters, Envelopes envelopes, Copies copies, WebhookClient webhooks, Mailer mailer,
        FunctionDeliveries functionDeliveries, Semaphore deliveryPermits, ScheduledExecutorService timers,
        InstantSource clock, int deliveryVisibilitySeconds, DeliveryHealth health, SubscriberQueues queuePolicies,
        DeliveryUsage usage, OutboxFanout fanout) {
}
