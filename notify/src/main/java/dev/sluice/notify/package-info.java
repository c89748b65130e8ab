/** Topics, subscriptions, fanout and push delivery (webhooks, email, functions); talks to queues only through QueueClient, to functions only through SubscriberFunctions. */
package dev.sluice.notify;
