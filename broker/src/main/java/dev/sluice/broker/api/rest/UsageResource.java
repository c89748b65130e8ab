package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.service.ClusterUsage;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.notify.core.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code GET /v1/usage?account=&from=&to=&format=}: metered usage per account and hour, summed over the cluster's
 * data groups (see {@link ClusterUsage}). An operator key reads any account ({@code account} omitted: every account);
 * any other key reads its own account only (another account is AccessDenied, 403). {@code from} and {@code to} are
 * ISO-8601 instants, rounded down to the hour; the hours starting in [from, to) are read (default: the 24 hours up to
 * the end of the current hour). {@code format}: {@code json} (default: totals and hours), {@code csv} or {@code jsonl}
 * (one line per account and hour, for export). Thread-safe.
 */
public final class UsageResource implements RestResource {
    private static final long DEFAULT_HOURS = 24;

    private final ClusterUsage usage;
    private final Function<Caller, String> accounts;
    private final Predicate<Caller> operators;
    private final InstantSource clock;

    /**
     * @param accounts the account of a caller's key
     * @param operators whether a caller is an operator
     */
    public UsageResource(ClusterUsage usage, Function<Caller, String> accounts, Predicate<Caller> operators,
            InstantSource clock) {
        this.usage = usage;
        this.accounts = accounts;
        this.operators = operators;
        this.clock = clock;
    }

    @Override
    public String tag() {
        return "usage";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(new RestOperation("GET", "/usage", "getUsage",
                "Metered usage per account and hour (SQS requests as AWS bills them, bytes out), summed over the cluster",
                List.of(Parameter.query("account", "string", "12-digit account id (operators: any, default every account;"
                                + " other keys: their own)"),
                        Parameter.query("from", "string", "ISO-8601 instant, rounded down to the hour (default: to - 24 h)"),
                        Parameter.query("to", "string", "ISO-8601 instant, exclusive, rounded down to the hour (default: the"
                                + " end of the current hour)"),
                        Parameter.query("format", "string", "json (default), csv or jsonl")),
                null, Map.of(200, "{From, To, Totals: {account: {kind: n}}, Hours: [{Account, Hour, SqsRequests, SqsBytesOut}]}"
                        + " or the hours as CSV / JSON lines", 400, "InvalidParameterValue",
                        403, "AccessDenied (another account's usage, not an operator key)",
                        503, "ServiceUnavailable (a data group did not answer)"), this::get));
    }

    private CompletableFuture<RestResponse> get(RestRequest request) {
        String account;
        long from;
        long to;
        String format = request.query("format") == null ? "json" : request.query("format");
        try {
            account = account(request);
            to = request.query("to") == null ? UsageMeter.hourOf(clock.millis()) + UsageMeter.HOUR_MILLIS
                    : UsageMeter.hourOf(instant(request.query("to"), "to"));
            from = request.query("from") == null ? to - DEFAULT_HOURS * UsageMeter.HOUR_MILLIS
                    : UsageMeter.hourOf(instant(request.query("from"), "from"));
            if (from > to) {
                throw new SqsException(SqsError.INVALID_PARAMETER_VALUE, "from must not be after to");
            }
            if (!List.of("json", "csv", "jsonl").contains(format)) {
                throw new SqsException(SqsError.INVALID_PARAMETER_VALUE, "format must be json, csv or jsonl");
            }
        } catch (SqsException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return usage.read(account, from, to).thenApply(table -> switch (format) {
            case "csv" -> text("text/csv", csv(table));
            case "jsonl" -> text("application/x-ndjson", jsonLines(table));
            default -> RestResponse.json(200, json(table, from, to));
        });
    }

    /** The account to read, or null for every account (operators only). */
    private String account(RestRequest request) {
        Caller caller = request.caller();
        String own = accounts.apply(caller);
        boolean operator = operators.test(caller);
        String given = request.query("account");
        if (given == null) {
            return operator ? null : own;
        }
        if (!dev.sluice.broker.accounts.Account.ID.matcher(given).matches()) {
            throw new SqsException(SqsError.INVALID_PARAMETER_VALUE, "account must be a 12-digit account id");
        }
        if (!operator && !given.equals(own)) {
            throw new SqsException(SqsError.ACCESS_DENIED, "a key reads its own account's usage only");
        }
        return given;
    }

    private static long instant(String value, String name) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException unreadable) {
            throw new SqsException(SqsError.INVALID_PARAMETER_VALUE, name + " must be an ISO-8601 instant such as"
                    + " 2026-01-31T13:00:00Z");
        }
    }

    private static Map<String, Object> json(ClusterUsage.Table table, long from, long to) {
        Map<String, Object> totals = new LinkedHashMap<>();
        table.accounts().forEach((account, hours) -> {
            Map<String, Long> sums = new LinkedHashMap<>();
            for (UsageKind kind : UsageKind.values()) {
                sums.put(kind.wireName(), hours.values().stream().mapToLong(used -> used.getOrDefault(kind, 0L)).sum());
            }
            totals.put(account, sums);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("From", Instant.ofEpochMilli(from).toString());
        body.put("To", Instant.ofEpochMilli(to).toString());
        body.put("Totals", totals);
        body.put("Hours", hours(table));
        return body;
    }

    /** One row per account and hour with every kind (0 when unused): the shape of the JSON hours, CSV and JSON lines. */
    private static List<Map<String, Object>> hours(ClusterUsage.Table table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        table.accounts().forEach((account, hours) -> hours.forEach((hour, used) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("Account", account);
            row.put("Hour", Instant.ofEpochMilli(hour).toString());
            for (UsageKind kind : UsageKind.values()) {
                row.put(kind.wireName(), used.getOrDefault(kind, 0L));
            }
            rows.add(row);
        }));
        return rows;
    }

    private static String csv(ClusterUsage.Table table) {
        StringBuilder out = new StringBuilder("Account,Hour");
        for (UsageKind kind : UsageKind.values()) {
            out.append(',').append(kind.wireName());
        }
        out.append('\n');
        // Account ids are digits and hours ISO instants: no field needs quoting.
        for (Map<String, Object> row : hours(table)) {
            out.append(String.join(",", row.values().stream().map(String::valueOf).toList())).append('\n');
        }
        return out.toString();
    }

    private static String jsonLines(ClusterUsage.Table table) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> row : hours(table)) {
            out.append(new String(RestResponse.json(200, row).body(), StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString();
    }

    private static RestResponse text(String contentType, String body) {
        return new RestResponse(200, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
}
