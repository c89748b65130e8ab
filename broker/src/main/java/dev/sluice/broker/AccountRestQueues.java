package dev.sluice.broker;

import dev.sluice.broker.api.rest.CallerQueues;
import dev.sluice.broker.api.rest.RestRequest;
import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.broker.core.PeekedMessage;
import dev.sluice.broker.service.AccountQueueClient;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.model.GetQueueUrlRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The REST API's {@link CallerQueues}: each request's caller (its key's account, from the key directory) reaches the
 * queues through the same per-caller client as the SQS API, with the request's source address and transport.
 */
final class AccountRestQueues implements CallerQueues {
    private final BiFunction<Caller, RequestContext, AccountQueueClient> clients;
    private final UnaryOperator<QueueClient> validating;
    private final BiFunction<String, Integer, CompletableFuture<List<PeekedMessage>>> peeks;
    private final Function<dev.sluice.notify.core.Caller, Caller> callers;
    private final Supplier<String> baseUrl;
    private final String region;
    private final String defaultAccount;

    /**
     * @param clients each caller's checked view of the queues
     * @param validating the checks of the SQS API's parameters around a caller's view
     * @param peeks the oldest messages of the queue at a URL, up to a count, read without receiving them
     * @param callers the account caller of a REST request's authenticated caller
     */
    AccountRestQueues(BiFunction<Caller, RequestContext, AccountQueueClient> clients, UnaryOperator<QueueClient> validating,
            BiFunction<String, Integer, CompletableFuture<List<PeekedMessage>>> peeks,
            Function<dev.sluice.notify.core.Caller, Caller> callers, Supplier<String> baseUrl, String region,
            String defaultAccount) {
        this.clients = clients;
        this.validating = validating;
        this.peeks = peeks;
        this.callers = callers;
        this.baseUrl = baseUrl;
        this.region = region;
        this.defaultAccount = defaultAccount;
    }

    @Override
    public QueueClient client(RestRequest request) {
        return validating.apply(checked(request));
    }

    @Override
    public CompletableFuture<List<PeekedMessage>> peek(RestRequest request, String name, int count) {
        AccountQueueClient checked = checked(request);
        return validating.apply(checked).getQueueUrl(new GetQueueUrlRequest(name, null))
                .thenCompose(found -> checked.readingMessages(found.queueUrl(), () -> peeks.apply(found.queueUrl(), count)));
    }

    private AccountQueueClient checked(RestRequest request) {
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
