/**
 * The running bridge: the management API over the store, the pollers of each mapping with their
 * scaling, and the invokers (HTTP and in-process). Talks to queues only through client-sdk's
 * QueueClient. Imports core, store, function, client-sdk, Vert.x's web client and Micrometer.
 */
package dev.sluice.faasbridge.service;
