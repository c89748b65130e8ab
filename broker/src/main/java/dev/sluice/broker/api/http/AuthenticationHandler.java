package dev.sluice.broker.api.http;

import dev.sluice.broker.accounts.AccountChanges;
import dev.sluice.broker.auth.AuthFailure;
import dev.sluice.broker.auth.SigV4Verifier;
import dev.sluice.broker.auth.SignedRequest;
import dev.sluice.broker.auth.Verdict;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.notify.api.http.NotifyRoutes;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.service.NotifyService;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every API request in one place, in front of all API routes (after the body handler, so the
 * payload hash can be checked): SQS JSON 1.0 and Query, SNS Query and REST {@code /v1}. With access keys
 * configured, a request must carry a valid SigV4 signature ({@link SigV4Verifier}) or is answered with the
 * AWS common error in its own protocol's shape; without keys (auth off, loopback only) every request passes.
 * Either way the request's {@link Caller} is left in the routing context ({@link NotifyRoutes#CALLER}) for the
 * topic policy checks.
 *
 * <p>Exempt, as in AWS or as operators need: {@code GET /health}, {@code /health/ready}, {@code /health/live},
 * the SNS signing certificate ({@link NotifyService#CERTIFICATE_PATH}), and unsigned
 * {@code GET}s of the subscription links that SNS envelopes carry ({@code SubscribeURL}:
 * {@code Action=ConfirmSubscription}; {@code UnsubscribeURL}: {@code Action=Unsubscribe}), which webhook
 * endpoints and e-mail readers follow without credentials: bare {@code GET /} only (no body, no
 * {@code X-Amz-Target}, one {@code Action}), whose caller is {@link Caller#link} (an unsigned Unsubscribe must
 * then carry its link's token, and never removes an sqs subscription). Runs on the event loop; never blocks. Logs the
 * access key id and failure of a refused request at DEBUG, never a secret or signature.
 *
 * <p>{@code GET /metrics} and {@code /metrics/notifications} (a topic's counts on this node, which {@code /metrics}
 * shows too: the node serving the console sums them over the nodes) name every account's queues, topics and usage, so
 * with auth on they are an operator's: a request passes with the scrape token ({@code Authorization: Bearer <token>},
 * {@code auth.metricsToken}, which Prometheus sends from its {@code authorization} setting) or signed by an operator's
 * key (another node's is one); otherwise 401 (no credentials) or 403 (another key, a wrong token), plain text.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationHandler.class);
    private static final Set<String> EXEMPT_PATHS = Set.of("/health", "/health/ready", "/health/live",
            NotifyService.CERTIFICATE_PATH);
    private static final Set<String> METRICS_PATHS = Set.of("/metrics", "/metrics/notifications");
    private static final String BEARER = "Bearer ";
    private static final Set<String> LINK_ACTIONS = Set.of("ConfirmSubscription", "Unsubscribe");

    /**
     * Where a request's {@link dev.sluice.broker.auth.Caller} (account, key, operator) is left in the routing context
     * for the ownership checks: set for every verified request and, with auth off, as the default account's operator.
     */
    public static final String ACCOUNT_CALLER = "sluice.accountCaller";
    /** The service a verified request's signature is scoped to ({@code sqs}, {@code sns}), for the quota check. */
    public static final String SIGNED_SERVICE = "sluice.signedService";
    /** The caller while auth is off (loopback only): the default account, an operator. */
    private static final dev.sluice.broker.auth.Caller AUTH_OFF = new dev.sluice.broker.auth.Caller(
            SigV4Verifier.DEFAULT_ACCOUNT, null, true);

    private final SigV4Verifier verifier;
    private final Predicate<String> operators;
    private final ProtocolErrorResponder errors;
    /** The scrape token's UTF-8 bytes, or null when none is configured. */
    private final byte[] metricsToken;

    /** @param verifier the verifier of the configured keys, or null when auth is off; no key is an operator's */
    public AuthenticationHandler(SigV4Verifier verifier) {
        this(verifier, keyId -> false);
    }

    /**
     * @param verifier the verifier of the configured keys, or null when auth is off
     * @param operators whether a verified access key id is an operator's (admin) key
     */
    public AuthenticationHandler(SigV4Verifier verifier, Predicate<String> operators) {
        this(verifier, operators, () -> UUID.randomUUID().toString());
    }

    public AuthenticationHandler(SigV4Verifier verifier, Supplier<String> requestIds) {
        this(verifier, keyId -> false, requestIds);
    }

    public AuthenticationHandler(SigV4Verifier verifier, Predicate<String> operators, Supplier<String> requestIds) {
        this(verifier, operators, requestIds, java.util.Optional.empty());
    }

    /** @param metricsToken the token that also opens {@code /metrics} while auth is on ({@code auth.metricsToken}) */
    public AuthenticationHandler(SigV4Verifier verifier, Predicate<String> operators, Supplier<String> requestIds,
            java.util.Optional<String> metricsToken) {
        this.verifier = verifier;
        this.operators = operators;
        this.errors = new ProtocolErrorResponder(requestIds);
        this.metricsToken = metricsToken.map(token -> token.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * The request's caller: its key's account and whether it is an operator; for a request that passed unsigned (auth
     * off, or an exempt path) the default account, an operator only while auth is off.
     */
    public static dev.sluice.broker.auth.Caller accountCaller(RoutingContext context) {
        dev.sluice.broker.auth.Caller caller = context.get(ACCOUNT_CALLER);
        return caller != null ? caller : new dev.sluice.broker.auth.Caller(AccountChanges.DEFAULT_ACCOUNT, null, false);
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (verifier == null) {
            context.put(ACCOUNT_CALLER, AUTH_OFF);
            context.put(NotifyRoutes.CALLER, Caller.anonymous(sourceIp).overTransport(request.isSSL()));
            context.next();
            return;
        }
        if (request.method() == HttpMethod.GET && EXEMPT_PATHS.contains(request.path())) {
            context.put(NotifyRoutes.CALLER, Caller.anonymous(sourceIp).overTransport(request.isSSL()));
            context.next();
            return;
        }
        if (request.method() == HttpMethod.GET && METRICS_PATHS.contains(request.path()) && carriesMetricsToken(request)) {
            context.put(NotifyRoutes.CALLER, Caller.anonymous(sourceIp).overTransport(request.isSSL()));
            context.next();
            return;
        }
        Buffer body = context.body() == null ? null : context.body().buffer();
        SignedRequest signed = new SignedRequest(request.method().name(), request.path(), request.query(),
                name -> headerValues(request, name), body == null ? new byte[0] : body.getBytes(), headerNames(request));
        if (isSubscriptionLink(request, signed)) {
            context.put(NotifyRoutes.CALLER, Caller.link(sourceIp).overTransport(request.isSSL()));
            context.next();
            return;
        }
        if (METRICS_PATHS.contains(request.path())) {
            refuseMetricsUnlessOperator(context, signed);
            return;
        }
        Verdict verdict = verifier.verify(signed);
        if (verdict instanceof Verdict.Verified verified) {
            dev.sluice.broker.auth.Caller caller = new dev.sluice.broker.auth.Caller(verified.accountId(),
                    verified.accessKeyId(), operators.test(verified.accessKeyId()));
            context.put(ACCOUNT_CALLER, caller);
            context.put(SIGNED_SERVICE, verified.service());
            context.put(NotifyRoutes.CALLER, new Caller(verified.accessKeyId(), sourceIp, false, request.isSSL(),
                    verified.accountId()));
            context.next();
            return;
        }
        Verdict.Refused refused = (Verdict.Refused) verdict;
        LOG.debug("refused {} {}: {}", request.method(), request.path(), refused.failure());
        refuse(context, refused);
    }

    /** True when the request's bearer token is the configured scrape token (compared in constant time). */
    private boolean carriesMetricsToken(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (metricsToken == null || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(offered, metricsToken);
    }

    /** {@code /metrics} without the scrape token: only a request an operator's key signed goes on. */
    private void refuseMetricsUnlessOperator(RoutingContext context, SignedRequest signed) {
        HttpServerRequest request = context.request();
        if (SigV4Verifier.isSigned(signed) && verifier.verify(signed) instanceof Verdict.Verified verified
                && operators.test(verified.accessKeyId())) {
            context.put(NotifyRoutes.CALLER, Caller.anonymous(request.remoteAddress() == null ? null
                    : request.remoteAddress().hostAddress()).overTransport(request.isSSL()));
            context.next();
            return;
        }
        boolean offeredSomething = request.getHeader("Authorization") != null || SigV4Verifier.isSigned(signed);
        LOG.debug("refused {} {}: neither the scrape token nor an operator's signature", request.method(), request.path());
        if (!offeredSomething) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice-metrics\"");
        }
        context.response().setStatusCode(offeredSomething ? 403 : 401)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(request.path() + " needs the scrape token (Authorization: Bearer, auth.metricsToken) or an "
                        + "operator's signature\n");
    }

    /** A header's values; {@code host} falls back to HTTP/2's {@code :authority}, which signers sign as host. */
    private static List<String> headerValues(HttpServerRequest request, String name) {
        List<String> values = request.headers().getAll(name);
        if (values.isEmpty() && name.equalsIgnoreCase("host") && request.authority() != null) {
            return List.of(request.authority().toString());
        }
        return values;
    }

    private static Set<String> headerNames(HttpServerRequest request) {
        Set<String> names = new java.util.HashSet<>();
        request.headers().names().forEach(name -> names.add(name.toLowerCase(java.util.Locale.ROOT)));
        return names;
    }

    /**
     * A bare link: {@code GET /} whose query string, read as the routes read it (each parameter once), names a link
     * action, and nothing that could make a route read another action: no signature, no {@code X-Amz-Target} (SQS
     * JSON takes its action from it), no body (SQS Query reads its parameters from the body too).
     */
    private static boolean isSubscriptionLink(HttpServerRequest request, SignedRequest signed) {
        if (request.method() != HttpMethod.GET || !request.path().equals("/") || SigV4Verifier.isSigned(signed)
                || request.getHeader("X-Amz-Target") != null || signed.body().length > 0 || request.query() == null) {
            return false;
        }
        try {
            // The routes' own reader: a parameter given twice, in any spelling ("%41ction"), is no bare link.
            return LINK_ACTIONS.contains(QueryParameters.ofRequest(request.query(), null).string("Action"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Answers in the request's protocol: REST JSON, SQS JSON 1.0, SNS XML or SQS Query XML. */
    private void refuse(RoutingContext context, Verdict.Refused refused) {
        SqsError sqs = sqsError(refused.failure());
        errors.respond(context, sqs, sqs, snsError(refused.failure()), refused.message(), "sns".equals(refused.service()));
    }

    private static SqsError sqsError(AuthFailure failure) {
        return switch (failure) {
            case MISSING_AUTHENTICATION_TOKEN -> SqsError.MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> SqsError.INCOMPLETE_SIGNATURE;
            case INVALID_CLIENT_TOKEN_ID -> SqsError.INVALID_CLIENT_TOKEN_ID;
            case SIGNATURE_DOES_NOT_MATCH -> SqsError.SIGNATURE_DOES_NOT_MATCH;
            case REQUEST_EXPIRED -> SqsError.REQUEST_EXPIRED;
        };
    }

    private static SnsError snsError(AuthFailure failure) {
        return switch (failure) {
            case MISSING_AUTHENTICATION_TOKEN -> SnsError.MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> SnsError.INCOMPLETE_SIGNATURE;
            case INVALID_CLIENT_TOKEN_ID -> SnsError.INVALID_CLIENT_TOKEN_ID;
            case SIGNATURE_DOES_NOT_MATCH -> SnsError.SIGNATURE_DOES_NOT_MATCH;
            case REQUEST_EXPIRED -> SnsError.REQUEST_EXPIRED;
        };
    }
}
