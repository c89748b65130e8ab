package dev.sluice.benchmarks.floor;

import dev.sluice.broker.HttpFront;
import dev.sluice.broker.api.http.AuthenticationHandler;
import dev.sluice.broker.api.http.SqsRoutes;
import dev.sluice.broker.auth.SigV4Verifier;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.notify.api.http.RequestBound;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP floor (issue 17, targets 2 and 3): an in-memory SQS served through the same HTTP stack as Sluice, so that a
 * load run against it shows what the same requests cost when the server does no durable work at all.
 *
 * <p>What a request passes here is what it passes in Sluice up to the queue engine: Sluice's own {@link HttpFront}
 * (Vert.x with default options, so as many event loops; Micrometer's Vert.x metrics; the router, its error handlers,
 * {@code ApiMeters}, {@code RawBodyHandler}), {@link AuthenticationHandler} (off, as Sluice on loopback without keys,
 * unless {@code --verify-sigv4}), the {@link RequestBound} timer, and {@link SqsRoutes} (SqsEndpoint, the JSON 1.0 and
 * Query codecs, {@code SqsValidator}). Left out: the request-rate, quota and access-policy layers, Raft (Ratis),
 * RocksDB and the queue engine, replaced by {@link MemoryQueues}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.sluice.benchmarks.floor.SqsFloorServer [--port 0] [--host 127.0.0.1]
 * [--verify-sigv4]}. Prints {@code listening on http://HOST:PORT} once it serves. With {@code --verify-sigv4} every
 * request's SigV4 signature is checked against {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, or the load
 * generator's default keys ({@code sluice-bench}/{@code sluice-bench}) when those are not set.
 */
public final class SqsFloorServer implements AutoCloseable {

    /** The keys SqsLoadGenerator signs with when the environment names none. */
    static final String BENCH_KEY = "sluice-bench";

    private final Vertx vertx;
    private final HttpServer http;
    private final MemoryQueues queues;

    private SqsFloorServer(Vertx vertx, HttpServer http, MemoryQueues queues) {
        this.vertx = vertx;
        this.http = http;
        this.queues = queues;
    }

    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 0;
        boolean verifySigV4 = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--verify-sigv4" -> verifySigV4 = true;
                default -> {
                    System.err.println("usage: SqsFloorServer [--port 0] [--host 127.0.0.1] [--verify-sigv4]");
                    System.exit(2);
                }
            }
        }
        try {
            SqsFloorServer server = start(host, port, verifySigV4 ? keysFrom(System.getenv()) : null);
            System.out.println("listening on http://" + host + ":" + server.port()
                    + (verifySigV4 ? " (SigV4 verified)" : " (no authentication)"));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "floor-shutdown"));
        } catch (RuntimeException e) {
            System.err.println("SqsFloorServer failed to start: " + e);
            System.exit(1);
        }
    }

    /**
     * Starts serving on {@code host:port} (0: a free port).
     *
     * @param keys access key id to secret, verified on every request; null: no authentication (Sluice on loopback)
     */
    public static SqsFloorServer start(String host, int port, Map<String, String> keys) {
        SluiceConfig config = SluiceConfig.defaults();
        HttpFront front = HttpFront.build(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Vertx vertx = front.vertx();
        try {
            SigV4Verifier verifier = keys == null ? null : new SigV4Verifier(keys, InstantSource.system());
            front.router().route().handler(new AuthenticationHandler(verifier));
            RequestBound.install(front.router(), vertx, config.http().requestTimeout());
            AtomicReference<String> baseUrl = new AtomicReference<>();
            MemoryQueues queues = new MemoryQueues(baseUrl::get, System::nanoTime, new VertxTimers(vertx));
            new SqsRoutes(queues, SqsLimits.defaults()).mount(front.router());
            HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(front.router());
            http.listen().toCompletionStage().toCompletableFuture().join();
            baseUrl.set("http://" + host + ":" + http.actualPort());
            return new SqsFloorServer(vertx, http, queues);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** The keys the load generator signs with: the environment's, or its defaults. */
    static Map<String, String> keysFrom(Map<String, String> environment) {
        return AwsCredentials.fromEnvironment(environment)
                .map(keys -> Map.of(keys.accessKeyId(), keys.secretAccessKey()))
                .orElse(Map.of(BENCH_KEY, BENCH_KEY));
    }

    MemoryQueues queues() {
        return queues;
    }

    public int port() {
        return http.actualPort();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The long polls' timers on Vert.x's own timer wheel. */
    private record VertxTimers(Vertx vertx) implements FloorTimers {
        @Override
        public long schedule(long delayMillis, Runnable action) {
            return vertx.setTimer(Math.max(1, delayMillis), id -> action.run());
        }

        @Override
        public void cancel(long timerId) {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
        }
    }
}
