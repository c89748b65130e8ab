/**
 * Immutable request and response records of every SQS action, named as in the AWS API
 * ({@code XRequest}/{@code XResponse}); Jackson annotations give the AWS JSON 1.0 member names.
 * Optional scalars are null when absent, collections are never null (empty when absent). Records
 * check only structure; SQS limits are checked at the edge (broker's SqsValidator) and the engine.
 * Imports: JDK and Jackson annotations only.
 */
package dev.sluice.clientsdk.model;
