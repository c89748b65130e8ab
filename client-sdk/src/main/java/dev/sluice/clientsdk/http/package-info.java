/**
 * The remote side of the SDK: {@link dev.sluice.clientsdk.http.HttpQueueClient} speaks SQS's AWS
 * JSON 1.0 protocol over the JDK HttpClient, to Sluice or Amazon SQS, with SigV4 signing, bounded
 * retries and explicit timeouts. Imports the JDK, Jackson and the client-sdk root and auth packages.
 */
package dev.sluice.clientsdk.http;
