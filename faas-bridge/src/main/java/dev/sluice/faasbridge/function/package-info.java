/**
 * The function side of the bridge: the Lambda SQS event and partial-batch response shapes, and the
 * {@link dev.sluice.faasbridge.function.FunctionHandler} interface that in-process Java functions
 * implement. Imports Jackson annotations only.
 */
package dev.sluice.faasbridge.function;
