package dev.sluice.faasbridge;

import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.http.HttpQueueClient;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar faas-bridge/target/sluice-bridge.jar --endpoint http://HOST:PORT}: a bridge in its own
 * process, reaching the cluster's queues with client-sdk's {@link HttpQueueClient} and its functions and
 * mappings over REST. Credentials for a server with access keys come from {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}. Exit codes: 0 after {@code --help}, 2 for bad options (all listed),
 * 1 when start-up fails. SIGTERM stops the pollers after their batches in flight.
 */
public final class BridgeMain {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeMain.class);
    /** Long polls, deletes and heartbeats in flight at once to the server; more wait for a slot. */
    private static final int MAX_CONCURRENT_REQUESTS = 1000;

    private BridgeMain() {
    }

    public static void main(String[] args) {
        BridgeOptions.Parsed parsed = BridgeOptions.parse(args);
        if (parsed.help()) {
            System.out.print(BridgeOptions.USAGE);
            return;
        }
        if (!parsed.problems().isEmpty()) {
            System.err.println("sluice-bridge: not started; " + parsed.problems().size() + " problem(s):");
            parsed.problems().forEach(problem -> System.err.println("  - " + problem));
            System.err.print(BridgeOptions.USAGE);
            System.exit(2);
        }
        BridgeOptions options = parsed.options();
        StandaloneBridge bridge;
        try {
            var builder = HttpQueueClient.builder().endpoint(URI.create(options.endpoint())).region(options.settings().region())
                    .maxConcurrentRequests(MAX_CONCURRENT_REQUESTS);
            AwsCredentials credentials = AwsCredentials.fromEnvironment(System.getenv()).orElse(null);
            if (credentials != null) {
                builder.credentials(credentials);
            }
            bridge = StandaloneBridge.start(options, builder.build(), credentials);
        } catch (Exception | Error e) {
            LOG.error("sluice-bridge failed to start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                bridge.close();
            } catch (Exception e) {
                LOG.warn("stopping the bridge failed", e);
            }
        }, "sluice-bridge-shutdown"));
        LOG.info("sluice-bridge serving the mappings of {}; /health and /metrics on http://{}:{}", options.endpoint(),
                options.host(), bridge.port());
    }
}
