/** SNS actions, fanout and webhook delivery over the catalog and QueueClient; may import core, client-sdk, raft-store's Catalog and Vert.x's client. */
package dev.sluice.notify.service;
