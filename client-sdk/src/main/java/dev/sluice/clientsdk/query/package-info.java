/** The AWS Query protocol's shared pieces (form parameters in, XML out), used by the SQS and SNS edges. */
package dev.sluice.clientsdk.query;
