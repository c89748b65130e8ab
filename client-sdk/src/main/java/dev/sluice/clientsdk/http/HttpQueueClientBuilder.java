package dev.sluice.clientsdk.http;

import dev.sluice.clientsdk.auth.AwsCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Options of an HTTP client of Sluice, {@link HttpQueueClient} or {@link FunctionClient} ({@code C}, what
 * {@link #build()} returns); every one but {@link #endpoint} has a default. Not thread-safe; build once
 * and share the client.
 *
 * <pre>{@code
 * QueueClient sqs = HttpQueueClient.builder()
 *         .endpoint(URI.create("http://127.0.0.1:9324"))      // or https://sqs.eu-west-1.amazonaws.com
 *         .region("eu-west-1")
 *         .credentials(AwsCredentials.of(accessKeyId, secretAccessKey))
 *         .build();
 * }</pre>
 */
public final class HttpQueueClientBuilder<C> {

    private final Function<HttpQueueClientBuilder<C>, C> factory;
    private URI endpoint;
    private String region = "us-east-1";
    private AwsCredentials credentials;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private HttpClient httpClient;
    private int maxConcurrentRequests = 50;
    private InstantSource clock = InstantSource.system();
    private RandomGenerator random = RandomGenerator.getDefault();

    HttpQueueClientBuilder(Function<HttpQueueClientBuilder<C>, C> factory) {
        this.factory = factory;
    }

    /**
     * Required. The service's base URL: {@code http://127.0.0.1:9324} for a local Sluice,
     * {@code https://sqs.<region>.amazonaws.com} for Amazon SQS. Requests go to its path
     * (normally {@code /}); queue URLs in requests are sent as given.
     */
    public HttpQueueClientBuilder<C> endpoint(URI endpoint) {
        Objects.requireNonNull(endpoint.getHost(), "endpoint must be an absolute http(s) URL: " + endpoint);
        String path = endpoint.getRawPath();
        this.endpoint = path == null || path.isEmpty() ? endpoint.resolve("/") : endpoint;
        return this;
    }

    /** The region in the SigV4 scope. Default {@code us-east-1}; must match the endpoint's region on AWS. */
    public HttpQueueClientBuilder<C> region(String region) {
        this.region = Objects.requireNonNull(region, "region");
        return this;
    }

    /** The key pair to sign with (SigV4, service {@code sqs}, or {@code lambda} for functions). Default none: requests go unsigned. */
    public HttpQueueClientBuilder<C> credentials(AwsCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

    /** How long opening a connection may take. Default 5 s. Ignored with {@link #httpClient}. */
    public HttpQueueClientBuilder<C> connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return this;
    }

    /**
     * How long one try may take from sending to the full answer; a ReceiveMessage try gets its
     * long-poll wait on top (the queue's default counts as 20 s). Default 30 s.
     */
    public HttpQueueClientBuilder<C> requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return this;
    }

    /** Retries on connection errors, throttling and 5xx. Default {@link RetryPolicy#defaults()}. */
    public HttpQueueClientBuilder<C> retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * A JDK HttpClient to share (proxy, TLS, executor settings). Default: a new HTTP/1.1 one with
     * {@link #connectTimeout}.
     */
    public HttpQueueClientBuilder<C> httpClient(HttpClient httpClient) {
        this.httpClient = httpClient;
        return this;
    }

    /**
     * Requests in progress at once (long polls included); more wait in order for a free slot. Bounds
     * the connections (HTTP/1.1) or streams (HTTP/2) the client opens. Default 50.
     */
    public HttpQueueClientBuilder<C> maxConcurrentRequests(int maxConcurrentRequests) {
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1: " + maxConcurrentRequests);
        }
        this.maxConcurrentRequests = maxConcurrentRequests;
        return this;
    }

    /** The clock for signature dates. Default the system clock. */
    public HttpQueueClientBuilder<C> clock(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The source of retry jitter. Default {@link RandomGenerator#getDefault()}. */
    public HttpQueueClientBuilder<C> random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** The client; throws IllegalStateException when no endpoint was given. */
    public C build() {
        if (endpoint == null) {
            throw new IllegalStateException("endpoint is required");
        }
        return factory.apply(this);
    }

    /** The retrying transport of a client built from these options; {@code retryable} says which answers to try again. */
    RetryingHttpSender sender(Predicate<HttpResponse<byte[]>> retryable) {
        // HTTP/1.1 as the AWS SDKs use; maxConcurrentRequests bounds the connections.
        HttpClient http = httpClient != null ? httpClient
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
        return new RetryingHttpSender(http, retryPolicy, retryable, random, maxConcurrentRequests);
    }

    URI endpoint() {
        return endpoint;
    }

    String region() {
        return region;
    }

    AwsCredentials credentials() {
        return credentials;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    InstantSource clock() {
        return clock;
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
