/** The server's configuration: the {@code SluiceConfig} record, its sources and validation. Imports raft-store's config and Jackson only. */
package dev.sluice.broker.config;
