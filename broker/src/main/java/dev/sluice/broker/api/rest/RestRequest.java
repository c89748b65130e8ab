package dev.sluice.broker.api.rest;

import dev.sluice.notify.core.Caller;
import java.util.List;
import java.util.Map;

/**
 * One REST request as the HTTP layer hands it over.
 *
 * @param method the HTTP method, upper case
 * @param pathParameters values of the template's {@code {name}} segments, decoded
 * @param query query parameters, decoded, in order of appearance
 * @param headers request headers, names as received, looked up ignoring case
 * @param body the raw request body (empty for none)
 * @param caller who sent it, as the server's authentication established (anonymous while auth is off)
 */
public record RestRequest(String method, Map<String, String> pathParameters, Map<String, List<String>> query,
        Map<String, List<String>> headers, byte[] body, Caller caller) {

    /** A request from an anonymous caller of unknown address. */
    public RestRequest(String method, Map<String, String> pathParameters, Map<String, List<String>> query,
            Map<String, List<String>> headers, byte[] body) {
        this(method, pathParameters, query, headers, body, Caller.anonymous(null));
    }

    public RestRequest {
        body = body == null ? new byte[0] : body;
        caller = caller == null ? Caller.anonymous(null) : caller;
        java.util.TreeMap<String, List<String>> caseless = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = java.util.Collections.unmodifiableMap(caseless);
    }

    public String path(String name) {
        return pathParameters.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A query parameter, else a header, else null: REST metadata may come in either. */
    public String queryOrHeader(String queryName, String headerName) {
        String value = query(queryName);
        return value != null ? value : header(headerName);
    }
}
