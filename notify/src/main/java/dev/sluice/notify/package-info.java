/** Topics, subscriptions, fanout and webhook delivery; talks to queues only through QueueClient. */
package dev.sluice.notify;
