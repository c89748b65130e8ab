package dev.sluice.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar sluice.jar admin --endpoint URL <command>}: the operators' commands over the REST API, signed
 * with AWS Signature V4 when a key is given ({@code --access-key}/{@code --secret-key}, else
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}). Prints the server's JSON answer; exit codes:
 * {@value #EXIT_OK} when it said yes, {@value #EXIT_REFUSED} when it said no (or could not be reached), with its
 * answer on stderr, {@value #EXIT_USAGE} for a usage error.
 */
final class AdminCommand {
    static final int EXIT_OK = 0;
    static final int EXIT_REFUSED = 1;
    static final int EXIT_USAGE = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String USAGE = """
            Usage: java -jar sluice.jar admin --endpoint URL [--access-key ID --secret-key SECRET] [--region REGION] COMMAND
            Commands:
              cluster                            nodes (up/down), Raft groups, leaders and queue counts (GET /v1/cluster)
              queue NAME                         a queue's attributes and groups (GET /v1/queues/NAME)
              queue-migrate NAME --to-group G [--from-group F]
                                                 move a live queue (or its partition in group F) to data group G,
                                                 e.g. data-3 (POST /v1/queues/NAME/migrate)
              queue-migration NAME               the queue's latest migration and its progress (GET /v1/queues/NAME/migrate)
              queue-partitions NAME --count N    spread a queue over N data groups; one fewer drains the last
                                                 partition into the others (PUT /v1/queues/NAME/partitions)
              node-add ID --raft-address HOST:PORT [--http-url URL]
                                                 add a node started empty with --join true (POST /v1/cluster/nodes)
              node-remove ID                     move a node's replicas away, then drop it (DELETE /v1/cluster/nodes/ID)
              node-replace ID                    a node lost its disk: re-add it as a fresh replica; start it empty with
                                                 --join true under the same id (POST /v1/cluster/nodes/ID/replace)
              group-leader GROUP --node ID       make ID lead GROUP, e.g. data-2 (POST /v1/cluster/groups/GROUP/leader)
              group-replication GROUP --factor N keep N replicas of GROUP (PUT /v1/cluster/groups/GROUP/replication)
            """ + AccountsCommandLine.USAGE + """
            Requests are signed with AWS Signature V4 when a key is given by flag or by AWS_ACCESS_KEY_ID and
            AWS_SECRET_ACCESS_KEY; with auth on, /v1/cluster needs an operator (admin=) key.
            Exit codes: 0 ok, 1 the server said no (its answer is printed) or was unreachable, 2 usage error.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final InstantSource clock;

    AdminCommand(PrintStream out, PrintStream err, InstantSource clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** The parsed command line: the request to send, or a usage problem. */
    private record Invocation(String method, String path, byte[] body, URI endpoint, AwsCredentials credentials,
            String region) {
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    int run(List<String> args, Map<String, String> environment) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return EXIT_OK;
        }
        Invocation invocation;
        try {
            invocation = parse(args, environment);
        } catch (UsageException e) {
            err.println("sluice admin: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        return send(invocation);
    }

    private static Invocation parse(List<String> args, Map<String, String> environment) throws UsageException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                if (!List.of("--endpoint", "--access-key", "--secret-key", "--region", "--to-group", "--from-group", "--count",
                        "--raft-address", "--http-url", "--node", "--factor").contains(arg)
                        && !AccountsCommandLine.OPTIONS.contains(arg)) {
                    throw new UsageException("unknown option " + arg);
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                options.put(arg, args.get(++i));
            } else {
                words.add(arg);
            }
        }
        String endpoint = options.get("--endpoint");
        if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
            throw new UsageException("--endpoint http(s)://host:port is required");
        }
        URI base;
        try {
            base = URI.create(endpoint.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--endpoint is not a URL: " + endpoint);
        }
        String accessKey = options.getOrDefault("--access-key", environment.get("AWS_ACCESS_KEY_ID"));
        String secretKey = options.getOrDefault("--secret-key", environment.get("AWS_SECRET_ACCESS_KEY"));
        if ((accessKey == null) != (secretKey == null)) {
            throw new UsageException("give both an access key and a secret key, or neither");
        }
        AwsCredentials credentials = accessKey == null ? null : AwsCredentials.of(accessKey, secretKey);
        String region = options.getOrDefault("--region", environment.getOrDefault("AWS_REGION", "us-east-1"));
        if (words.isEmpty()) {
            throw new UsageException("no command");
        }
        String command = words.get(0);
        switch (command) {
            case "cluster" -> {
                expectWords(words, 1);
                return new Invocation("GET", "/v1/cluster", null, base, credentials, region);
            }
            case "queue" -> {
                expectWords(words, 2);
                return new Invocation("GET", "/v1/queues/" + segment(words.get(1)), null, base, credentials, region);
            }
            case "queue-migrate" -> {
                expectWords(words, 2);
                String group = options.get("--to-group");
                if (group == null || group.isBlank()) {
                    throw new UsageException("queue-migrate needs --to-group, e.g. --to-group data-3");
                }
                String from = options.get("--from-group");
                return new Invocation("POST", "/v1/queues/" + segment(words.get(1)) + "/migrate",
                        json(from == null ? Map.of("toGroup", group) : Map.of("toGroup", group, "fromGroup", from)), base,
                        credentials, region);
            }
            case "queue-migration" -> {
                expectWords(words, 2);
                return new Invocation("GET", "/v1/queues/" + segment(words.get(1)) + "/migrate", null, base, credentials, region);
            }
            case "queue-partitions" -> {
                expectWords(words, 2);
                String count = options.get("--count");
                if (count == null || !count.matches("[0-9]{1,9}")) {
                    throw new UsageException("queue-partitions needs --count N, e.g. --count 4");
                }
                return new Invocation("PUT", "/v1/queues/" + segment(words.get(1)) + "/partitions",
                        ("{\"count\":" + Integer.parseInt(count) + "}").getBytes(StandardCharsets.UTF_8), base, credentials, region);
            }
            case "node-add" -> {
                expectWords(words, 2);
                String address = required(options, "--raft-address", "node-add needs --raft-address HOST:PORT");
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("id", words.get(1));
                fields.put("raftAddress", address);
                if (options.containsKey("--http-url")) {
                    fields.put("httpUrl", options.get("--http-url"));
                }
                return new Invocation("POST", "/v1/cluster/nodes", json(fields), base, credentials, region);
            }
            case "node-remove" -> {
                expectWords(words, 2);
                return new Invocation("DELETE", "/v1/cluster/nodes/" + segment(words.get(1)), null, base, credentials, region);
            }
            case "node-replace" -> {
                expectWords(words, 2);
                return new Invocation("POST", "/v1/cluster/nodes/" + segment(words.get(1)) + "/replace", null, base, credentials,
                        region);
            }
            case "group-leader" -> {
                expectWords(words, 2);
                String node = required(options, "--node", "group-leader needs --node ID");
                return new Invocation("POST", "/v1/cluster/groups/" + segment(words.get(1)) + "/leader",
                        json(Map.of("nodeId", node)), base, credentials, region);
            }
            case "group-replication" -> {
                expectWords(words, 2);
                String factor = options.get("--factor");
                if (factor == null || !factor.matches("[0-9]{1,9}")) {
                    throw new UsageException("group-replication needs --factor N, e.g. --factor 3");
                }
                return new Invocation("PUT", "/v1/cluster/groups/" + segment(words.get(1)) + "/replication",
                        ("{\"factor\":" + Integer.parseInt(factor) + "}").getBytes(StandardCharsets.UTF_8), base, credentials,
                        region);
            }
            case "accounts" -> {
                try {
                    AccountsCommandLine.Request request = AccountsCommandLine.parse(words.subList(1, words.size()), options);
                    return new Invocation(request.method(), request.path(), request.body(), base, credentials, region);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            default -> throw new UsageException("unknown command " + command);
        }
    }

    private static void expectWords(List<String> words, int count) throws UsageException {
        if (words.size() != count) {
            throw new UsageException(words.get(0) + (count == 1 ? " takes no argument" : " takes one name"));
        }
    }

    private static String required(Map<String, String> options, String option, String usage) throws UsageException {
        String value = options.get(option);
        if (value == null || value.isBlank()) {
            throw new UsageException(usage);
        }
        return value;
    }

    private static byte[] json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A queue name as one path segment: '/', '?' or '#' in it cannot name another resource. */
    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private int send(Invocation invocation) {
        URI uri = URI.create(invocation.endpoint() + invocation.path());
        byte[] body = invocation.body() == null ? new byte[0] : invocation.body();
        Map<String, String> headers = invocation.body() == null ? Map.of() : Map.of("Content-Type", "application/json");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(invocation.method(), invocation.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (invocation.credentials() != null) {
            new SigV4Signer("sqs", invocation.region()).sign(invocation.method(), uri, headers, body,
                    invocation.credentials(), clock.instant()).headers().forEach(request::header);
        }
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("sluice admin: cannot reach " + uri + ": " + e);
            return EXIT_REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice admin: interrupted");
            return EXIT_REFUSED;
        }
        if (response.statusCode() / 100 == 2) {
            out.println(pretty(response.body()));
            return EXIT_OK;
        }
        err.println("sluice admin: " + invocation.method() + " " + invocation.path() + " answered HTTP "
                + response.statusCode());
        err.println(pretty(response.body()));
        return EXIT_REFUSED;
    }

    /** Indented JSON when the answer is JSON; otherwise the text as it came. */
    private static String pretty(String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null ? body : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            return body;
        }
    }
}
