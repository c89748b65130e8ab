package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/** What the fanout and delivery workers share; built once by {@link NotifyService}. {@code mailer} is null without SMTP. */
record NotifyServices(NotifyConfig config, QueueClient queueClient, NotifyCatalog catalog, InternalQueues internalQueues,
        FilterPolicies filters, Copies copies, WebhookClient webhooks, Mailer mailer, Semaphore deliveryPermits,
        ScheduledExecutorService timers, InstantSource clock, int deliveryVisibilitySeconds) {
}
