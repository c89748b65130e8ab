/**
 * The function side of the bridge: the Lambda SQS and SNS event shapes, the partial-batch response, and the
 * {@link dev.sluice.faasbridge.function.FunctionHandler} interface that in-process Java functions
 * implement. Imports Jackson annotations only.
 */
package dev.sluice.faasbridge.function;
