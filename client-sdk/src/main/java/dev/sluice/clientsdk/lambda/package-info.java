/**
 * Requests and answers of Sluice's functions and event-source-mapping REST API, as records whose JSON
 * (Jackson) is the API's, with Lambda's field names. Imports only Jackson's annotations.
 */
package dev.sluice.clientsdk.lambda;
