package dev.sluice.notify.service;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs webhook deliveries: resolves the host once through the {@link OutboundPolicy} (on a worker
 * thread), connects to that address (Host header and TLS name stay the URL's), never follows redirects,
 * bounds connect and response time, and reads at most {@code maxResponseBytes} of a response before
 * dropping the connection. Completes with the HTTP status; fails on refusal, timeout or I/O errors.
 */
final class WebhookClient {
    private final Vertx vertx;
    private final HttpClient client;
    private final OutboundPolicy policy;
    private final NotifyConfig config;

    WebhookClient(Vertx vertx, OutboundPolicy policy, NotifyConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxConcurrentDeliveries()));
    }

    CompletableFuture<Integer> post(URI target, Map<String, String> headers, String body) {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
        String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        return vertx.<InetAddress>executeBlocking(() -> policy.resolve(target.getHost()), false)
                .compose(address -> {
                    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                            .setHost(target.getHost()).setPort(port).setURI(path).setSsl(tls)
                            .setFollowRedirects(false)
                            .setConnectTimeout(config.connectTimeout().toMillis())
                            .setIdleTimeout(config.responseTimeout().toMillis());
                    headers.forEach(options::putHeader);
                    return client.request(options);
                })
                .compose(request -> {
                    // The idle timeout bounds silence; this bounds the whole exchange, a slow drip included.
                    long timer = vertx.setTimer(config.responseTimeout().toMillis(), fired -> request.reset());
                    return request.send(body).andThen(sent -> {
                        if (sent.failed()) {
                            vertx.cancelTimer(timer);
                        }
                    }).map(response -> new TimedResponse(response, timer));
                })
                .compose(timed -> {
                    io.vertx.core.http.HttpClientResponse response = timed.response();
                    Promise<Integer> status = Promise.promise();
                    AtomicLong read = new AtomicLong();
                    response.handler(chunk -> {
                        if (read.addAndGet(chunk.length()) > config.maxResponseBytes()) {
                            response.request().reset();
                            status.tryComplete(response.statusCode());
                        }
                    });
                    response.exceptionHandler(failure -> status.tryComplete(response.statusCode()));
                    response.endHandler(end -> status.tryComplete(response.statusCode()));
                    return status.future().andThen(done -> vertx.cancelTimer(timed.timer()));
                })
                .toCompletionStage().toCompletableFuture();
    }

    private record TimedResponse(io.vertx.core.http.HttpClientResponse response, long timer) {
    }

    void close() {
        client.close();
    }
}
