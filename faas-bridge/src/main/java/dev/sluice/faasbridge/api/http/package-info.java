/** The bridge's REST API, {@code /v1/functions} and {@code /v1/event-source-mappings}: JSON in Lambda's field names. Imports service and core. */
package dev.sluice.faasbridge.api.http;
