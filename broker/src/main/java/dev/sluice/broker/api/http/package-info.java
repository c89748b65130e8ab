/**
 * HTTP adapters (Vert.x Web): routes that read requests, hand them to the protocol layer
 * ({@code api.sqs}) and write the answers. The only SQS package that imports Vert.x.
 */
package dev.sluice.broker.api.http;
