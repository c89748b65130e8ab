/**
 * The remote side of the SDK: {@link dev.sluice.clientsdk.http.HttpQueueClient} speaks SQS's AWS
 * JSON 1.0 protocol over the JDK HttpClient, to Sluice or Amazon SQS, and
 * {@link dev.sluice.clientsdk.http.FunctionClient} Sluice's functions REST API; both with SigV4
 * signing, bounded retries and explicit timeouts from one builder and one retrying sender. Imports the
 * JDK, Jackson and the client-sdk root, auth, model and lambda packages.
 */
package dev.sluice.clientsdk.http;
