package dev.sluice.broker;

import dev.sluice.broker.api.rest.CallerQueues;
import dev.sluice.broker.api.rest.RestRequest;
import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The REST API's {@link CallerQueues}: each request's caller (its key's account, from the key directory) reaches the
 * queues through the same per-caller client as the SQS API, with the request's source address and transport.
 */
final class AccountRestQueues implements CallerQueues {
    private final BiFunction<Caller, RequestContext, QueueClient> clients;
    private final Function<dev.sluice.notify.core.Caller, Caller> callers;
    private final Supplier<String> baseUrl;
    private final String region;
    private final String defaultAccount;

    /**
     * @param clients each caller's checked view of the (validated) queues
     * @param callers the account caller of a REST request's authenticated caller
     */
    AccountRestQueues(BiFunction<Caller, RequestContext, QueueClient> clients,
            Function<dev.sluice.notify.core.Caller, Caller> callers, Supplier<String> baseUrl, String region,
            String defaultAccount) {
        this.clients = clients;
        this.callers = callers;
        this.baseUrl = baseUrl;
        this.region = region;
        this.defaultAccount = defaultAccount;
    }

    @Override
    public QueueClient client(RestRequest request) {
        dev.sluice.notify.core.Caller caller = request.caller();
        return clients.apply(callers.apply(caller), RequestContext.direct(caller.sourceIp(),
                Boolean.TRUE.equals(caller.secureTransport())));
    }

    @Override
    public String urlOf(RestRequest request, String name) {
        // A REST name is one path segment; encoding it keeps '?', '#' or '/' from naming another queue.
        return new QueueUrl(accountOf(request), URLEncoder.encode(name, StandardCharsets.UTF_8)).toUrl(baseUrl.get());
    }

    @Override
    public String arnOf(RestRequest request, String name) {
        return new QueueUrl(accountOf(request), name).toArn(region);
    }

    @Override
    public String keyOf(String queueUrl) {
        return QueueUrl.parse(queueUrl).map(url -> url.qualifiedName(defaultAccount)).orElse(queueUrl);
    }

    private String accountOf(RestRequest request) {
        return callers.apply(request.caller()).accountId();
    }
}
