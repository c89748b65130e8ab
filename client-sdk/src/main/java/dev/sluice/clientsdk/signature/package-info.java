/** Signing and verifying webhook deliveries: SNS message signatures (v1, v2) and Standard Webhooks HMACs. JDK only. */
package dev.sluice.clientsdk.signature;
