/**
 * The composition root: {@code Main}, the {@code SluiceServer} that wires the store node, metrics and
 * HTTP server, and the {@code RouteMount} hook through which the APIs add their routes.
 */
package dev.sluice.broker;
