/** The composition root: configuration, the HTTP server and main. */
package dev.sluice.broker;
