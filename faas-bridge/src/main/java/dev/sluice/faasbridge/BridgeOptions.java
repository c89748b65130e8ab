package dev.sluice.faasbridge;

import dev.sluice.faasbridge.service.BridgeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone bridge's command line: {@code --endpoint} (a Sluice server, for queues and for the
 * functions and mappings), where its own {@code /health} and {@code /metrics} listen, and the pollers'
 * settings. {@link #parse} reports every problem at once.
 *
 * @param endpoint        the server's base URL, {@code http://host:port}
 * @param host            address of this bridge's health and metrics port (default 127.0.0.1)
 * @param port            that port (default 9330; 0 picks a free one)
 * @param settings        the pollers' settings
 */
public record BridgeOptions(String endpoint, String host, int port, BridgeSettings settings) {
    static final String USAGE = """
            java -jar sluice-bridge.jar --endpoint http://HOST:PORT [options]
              --endpoint URL            Sluice server whose queues, functions and mappings this bridge serves (required)
              --host ADDRESS            address of this bridge's /health and /metrics (default 127.0.0.1)
              --port N                  port of /health and /metrics (default 9330; 0 picks one)
              --poll-wait-seconds N     long-poll wait of each receive, 1..20 (default 20)
              --max-concurrency N       pollers a mapping without MaximumConcurrency gets, 1..1000 (default 100)
              --refresh-seconds N       how often mappings are re-read from the server (default 2)
              --region NAME             region in function ARNs (default us-east-1)
            """;

    /** Parsed options, or the problems found (every one). */
    public record Parsed(BridgeOptions options, List<String> problems, boolean help) {
    }

    public static Parsed parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                return new Parsed(null, List.of(), true);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                problems.add("expected --flag value, got " + args[i]);
                continue;
            }
            flags.put(args[i], args[++i]);
        }
        String endpoint = flags.remove("--endpoint");
        if (endpoint == null) {
            problems.add("--endpoint is required");
            endpoint = "http://127.0.0.1:9324";
        }
        endpoint = endpoint.replaceAll("/+$", "");
        String host = flags.getOrDefault("--host", "127.0.0.1");
        flags.remove("--host");
        int port = integer(flags.remove("--port"), 9330, "--port", problems);
        BridgeSettings defaults = BridgeSettings.defaults(endpoint);
        int pollWait = integer(flags.remove("--poll-wait-seconds"), defaults.pollWaitSeconds(), "--poll-wait-seconds", problems);
        int maxConcurrency = integer(flags.remove("--max-concurrency"), defaults.defaultMaxConcurrency(), "--max-concurrency", problems);
        int refresh = integer(flags.remove("--refresh-seconds"), (int) defaults.refreshInterval().toSeconds(), "--refresh-seconds",
                problems);
        String region = flags.getOrDefault("--region", defaults.region());
        flags.remove("--region");
        flags.keySet().forEach(unknown -> problems.add("unknown flag " + unknown));
        if (port < 0 || port > 65535) {
            problems.add("--port must be 0..65535; got " + port);
        }
        BridgeSettings settings = new BridgeSettings(endpoint, region, defaults.accountId(), pollWait, defaults.initialPollers(),
                maxConcurrency, defaults.scaleUpInterval(), defaults.scaleUpBacklogAge(), Duration.ofSeconds(refresh),
                defaults.deleteAttempts(), defaults.maxPayloadBytes(), defaults.handlerThreads(), defaults.stopGrace(),
                defaults.maxLabelledFunctions());
        if (refresh < 1) {
            problems.add("--refresh-seconds must be at least 1; got " + refresh);
        }
        problems.addAll(settings.validate());
        return new Parsed(problems.isEmpty() ? new BridgeOptions(endpoint, host, port, settings) : null, problems, false);
    }

    private static int integer(String value, int fallback, String flag, List<String> problems) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problems.add(flag + " must be a whole number; got " + value);
            return fallback;
        }
    }
}
