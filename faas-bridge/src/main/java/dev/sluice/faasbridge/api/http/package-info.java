/** The bridge's REST operations (plain handlers the server mounts under /v1) and the REST client of a standalone bridge; JSON in Lambda's field names. Imports service, store and core. */
package dev.sluice.faasbridge.api.http;
