/** Event source mappings: pollers that receive queue batches and invoke functions. */
package dev.sluice.faasbridge;
