package dev.sluice.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice admin accounts ...}: the words and options of an accounts command as the REST request under
 * {@code /v1/admin/accounts} that {@link AdminCommand} sends. Throws IllegalArgumentException with the usage problem.
 */
final class AccountsCommandLine {
    /** The options an accounts command may take (besides the admin command's own). */
    static final List<String> OPTIONS = List.of("--account-id", "--policies", "--grace-seconds");
    static final String USAGE = """
              accounts create NAME [--account-id ID]   create an account; the server picks its 12-digit id unless given
              accounts list                      every account (GET /v1/admin/accounts)
              accounts show ACCOUNT              one account and its keys, no secrets
              accounts close ACCOUNT             close an account: its keys stop working
              accounts quotas show ACCOUNT       the account's quotas (0 means no limit)
              accounts quotas set ACCOUNT NAME=VALUE...
                                                 change some quotas, e.g. sqsSendPerSecond=100 queues=50; the names:
                                                 sqsSendPerSecond, sqsReceivePerSecond, sqsOtherPerSecond,
                                                 snsPublishPerSecond, snsOtherPerSecond, functionsPerSecond, queues,
                                                 topics, subscriptions, eventSourceMappings, storedBytes,
                                                 inFlightMessages
              accounts keys create ACCOUNT [--policies P,Q]
                                                 a new access key; its secret is printed this once
              accounts keys list ACCOUNT         the account's keys, no secrets
              accounts keys rotate ACCOUNT KEY [--grace-seconds N]
                                                 a new key (printed once); the old one works N more seconds (default 0)
              accounts keys disable ACCOUNT KEY  refuse the key from now on
              accounts keys delete ACCOUNT KEY   delete the key
              accounts keys attach ACCOUNT KEY POLICY | keys detach ACCOUNT KEY POLICY
                                                 attach or detach a managed policy: AdministratorAccess, ManageQueues,
                                                 Produce, Consume, TriggerFunctions, ReadOnly
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/v1/admin/accounts";

    /** The REST request of one command; {@code body} null for none. */
    record Request(String method, String path, byte[] body) {
    }

    private AccountsCommandLine() {
    }

    /** @param words the command's words after {@code accounts} */
    static Request parse(List<String> words, Map<String, String> options) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("accounts needs a command: create, list, show, close, quotas or keys");
        }
        String command = words.get(0);
        return switch (command) {
            case "create" -> {
                expect(words, 2, "accounts create NAME");
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("name", words.get(1));
                if (options.containsKey("--account-id")) {
                    fields.put("accountId", options.get("--account-id"));
                }
                yield new Request("POST", BASE, json(fields));
            }
            case "list" -> {
                expect(words, 1, "accounts list");
                yield new Request("GET", BASE, null);
            }
            case "show" -> {
                expect(words, 2, "accounts show ACCOUNT");
                yield new Request("GET", BASE + "/" + segment(words.get(1)), null);
            }
            case "close" -> {
                expect(words, 2, "accounts close ACCOUNT");
                yield new Request("POST", BASE + "/" + segment(words.get(1)) + "/close", null);
            }
            case "keys" -> keys(words.subList(1, words.size()), options);
            case "quotas" -> quotas(words.subList(1, words.size()));
            default -> throw new IllegalArgumentException("unknown accounts command " + command);
        };
    }

    /** {@code quotas show ACCOUNT} or {@code quotas set ACCOUNT NAME=VALUE...}; the server checks names and ranges. */
    private static Request quotas(List<String> words) {
        if (words.isEmpty() || !(words.get(0).equals("show") || words.get(0).equals("set"))) {
            throw new IllegalArgumentException("accounts quotas needs a command: show or set");
        }
        if (words.get(0).equals("show")) {
            expect(words, 2, "accounts quotas show ACCOUNT");
            return new Request("GET", BASE + "/" + segment(words.get(1)) + "/quotas", null);
        }
        if (words.size() < 3) {
            throw new IllegalArgumentException("usage: accounts quotas set ACCOUNT NAME=VALUE...");
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String assignment : words.subList(2, words.size())) {
            int equals = assignment.indexOf('=');
            String value = equals < 0 ? "" : assignment.substring(equals + 1);
            if (equals <= 0 || !value.matches("[0-9]{1,10}")) {
                throw new IllegalArgumentException("a quota is NAME=VALUE with a whole number, e.g. queues=50; got "
                        + assignment);
            }
            values.put(assignment.substring(0, equals), Long.parseLong(value));
        }
        return new Request("PUT", BASE + "/" + segment(words.get(1)) + "/quotas", json(values));
    }

    private static Request keys(List<String> words, Map<String, String> options) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("accounts keys needs a command: create, list, rotate, disable, delete, attach"
                    + " or detach");
        }
        String command = words.get(0);
        String keys = words.size() > 1 ? BASE + "/" + segment(words.get(1)) + "/keys" : null;
        String key = words.size() > 2 ? keys + "/" + segment(words.get(2)) : null;
        return switch (command) {
            case "create" -> {
                expect(words, 2, "accounts keys create ACCOUNT");
                String policies = options.get("--policies");
                yield new Request("POST", keys, policies == null ? null
                        : json(Map.of("policies", Arrays.stream(policies.split(",")).map(String::trim)
                                .filter(name -> !name.isEmpty()).toList())));
            }
            case "list" -> {
                expect(words, 2, "accounts keys list ACCOUNT");
                yield new Request("GET", keys, null);
            }
            case "rotate" -> {
                expect(words, 3, "accounts keys rotate ACCOUNT KEY");
                String grace = options.getOrDefault("--grace-seconds", "0");
                if (!grace.matches("[0-9]{1,9}")) {
                    throw new IllegalArgumentException("--grace-seconds must be a whole number of seconds");
                }
                yield new Request("POST", key + "/rotate", json(Map.of("graceSeconds", Integer.parseInt(grace))));
            }
            case "disable" -> {
                expect(words, 3, "accounts keys disable ACCOUNT KEY");
                yield new Request("POST", key + "/disable", null);
            }
            case "delete" -> {
                expect(words, 3, "accounts keys delete ACCOUNT KEY");
                yield new Request("DELETE", key, null);
            }
            case "attach", "detach" -> {
                expect(words, 4, "accounts keys " + command + " ACCOUNT KEY POLICY");
                yield new Request(command.equals("attach") ? "PUT" : "DELETE", key + "/policies/" + segment(words.get(3)),
                        null);
            }
            default -> throw new IllegalArgumentException("unknown accounts keys command " + command);
        };
    }

    private static void expect(List<String> words, int count, String usage) {
        if (words.size() != count) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static byte[] json(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name as one path segment: '/', '?' or '#' in it cannot name another resource. */
    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
