/**
 * SQS wire codecs: the AWS JSON 1.0 and Query protocols decoded into client-sdk request records,
 * responses and errors encoded back, and {@link dev.sluice.broker.api.sqs.SqsEndpoint} tying them to a
 * QueueClient. Imports service, core, client-sdk and Jackson; never Vert.x.
 */
package dev.sluice.broker.api.sqs;
