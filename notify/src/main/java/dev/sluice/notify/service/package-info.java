/** SNS actions, fanout, webhook, email and function delivery (the last through the SubscriberFunctions SPI) over the catalog and QueueClient; may import core, client-sdk, raft-store's Catalog and Vert.x's client. */
package dev.sluice.notify.service;
