package dev.sluice.broker.auth.policy;

/**
 * What a request carries besides its caller, action and resource, for the conditions of a policy. Built by the
 * HTTP layer (source address, TLS) or by a service delivering on a resource's behalf (SNS to SQS: the topic).
 *
 * @param sourceIp the client's address ({@code aws:SourceIp}), or null when unknown (conditions on it then treat
 *     the key as absent)
 * @param secureTransport whether the request came over TLS ({@code aws:SecureTransport}), or null when unknown
 * @param servicePrincipal the service making the request on a resource's behalf (e.g. {@code sns.amazonaws.com}),
 *     or null for a direct request by the caller
 * @param sourceArn the resource on whose behalf the service acts ({@code aws:SourceArn}), null for a direct request
 * @param sourceAccount the account owning {@code sourceArn} ({@code aws:SourceAccount}), null for a direct request
 */
public record RequestContext(String sourceIp, Boolean secureTransport, String servicePrincipal, String sourceArn,
        String sourceAccount) {

    /** Nothing known about the request: every context condition key is absent. */
    public static final RequestContext NONE = new RequestContext(null, null, null, null, null);

    /** A caller's own request over HTTP(S). */
    public static RequestContext direct(String sourceIp, boolean secureTransport) {
        return new RequestContext(sourceIp, secureTransport, null, null, null);
    }

    /** A request a service makes for one of its resources, e.g. SNS delivering a topic's message to a queue. */
    public static RequestContext onBehalfOf(String servicePrincipal, String sourceArn, String sourceAccount) {
        return new RequestContext(null, true, servicePrincipal, sourceArn, sourceAccount);
    }

    boolean isServiceRequest() {
        return servicePrincipal != null;
    }
}
