package dev.sluice.broker.api.rest;

import dev.sluice.broker.accounts.Account;
import dev.sluice.broker.accounts.AccountChanges;
import dev.sluice.broker.accounts.AccountKey;
import dev.sluice.broker.accounts.AccountQuotas;
import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Accounts and their access keys, for operators only (under {@code /admin/}: see {@link RestOperation#operatorOnly}).
 * A new key's secret is in the answer of its creation or rotation and nowhere else, ever; every other answer shows
 * keys without secrets. Refusals are 4xx ({@code AccountChangeRefusedException} via {@link RestErrors}): 400 for a
 * bad id, name, policy or grace, 404 for an unknown account, key or policy, 409 for a duplicate, a closed account, a
 * full account or a server without cluster key.
 */
public final class AccountsResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);
    private static final String QUOTAS = "{" + java.util.Arrays.stream(AccountQuotas.Quota.values())
            .map(AccountQuotas.Quota::field).collect(java.util.stream.Collectors.joining(", ")) + "}: 0 means no limit";
    private static final String ACCOUNT = "{accountId, name, state: open|closed, created, quotas}";
    private static final String KEY = "{accessKeyId, accountId, state: active|disabled, policies, created, rotated, disableAt}";
    private static final String NEW_KEY = KEY + " plus secretAccessKey: shown this once, never again";

    private final AccountChanges changes;

    public AccountsResource(AccountChanges changes) {
        this.changes = changes;
    }

    @Override
    public String tag() {
        return "accounts";
    }

    @Override
    public List<RestOperation> operations() {
        String base = "/admin/accounts";
        String key = base + "/{accountId}/keys/{accessKeyId}";
        return List.of(
                operation("POST", base, "createAccount", "Creates an account; the server picks its 12-digit id unless given",
                        new Body("application/json", "{name, accountId?}", true), 201, ACCOUNT, this::createAccount),
                operation("GET", base, "listAccounts", "Every account, the default one first", null, 200, "{accounts: ["
                        + ACCOUNT + "]}", request -> changes.accounts().thenApply(accounts -> RestResponse.json(200,
                                Map.of("accounts", accounts.stream().map(AccountsResource::render).toList())))),
                operation("GET", base + "/{accountId}", "describeAccount", "One account and its keys (no secrets)", null, 200,
                        ACCOUNT + " plus keys: [" + KEY + "]", this::describeAccount),
                operation("POST", base + "/{accountId}/close", "closeAccount",
                        "Closes an account: its keys stop working; it gets no new keys", null, 200, ACCOUNT,
                        request -> changes.closeAccount(request.path("accountId")).thenApply(closed -> RestResponse.json(200,
                                render(closed)))),
                operation("GET", base + "/{accountId}/quotas", "describeAccountQuotas", "The account's quotas", null, 200,
                        "{accountId, quotas: " + QUOTAS + "}", request -> changes.account(request.path("accountId"))
                                .thenApply(account -> RestResponse.json(200, renderQuotas(account)))),
                operation("PUT", base + "/{accountId}/quotas", "setAccountQuotas", "Changes the quotas given; the others "
                        + "keep their values", new Body("application/json", QUOTAS, true), 200, "{accountId, quotas: " + QUOTAS
                                + "}", this::setQuotas),
                operation("POST", base + "/{accountId}/keys", "createAccessKey", "Creates an access key in an open account",
                        new Body("application/json", "{policies?: [managed policy names]}", false), 201, NEW_KEY, this::createKey),
                operation("GET", base + "/{accountId}/keys", "listAccessKeys", "The account's keys (no secrets)", null, 200,
                        "{keys: [" + KEY + "]}", request -> changes.keys(request.path("accountId")).thenApply(keys ->
                                RestResponse.json(200, Map.of("keys", keys.stream().map(AccountsResource::render).toList())))),
                operation("GET", key, "describeAccessKey", "One key (no secret)", null, 200, KEY,
                        request -> changes.key(request.path("accountId"), request.path("accessKeyId")).thenApply(found ->
                                RestResponse.json(200, render(found)))),
                operation("POST", key + "/rotate", "rotateAccessKey", "A new key with the same policies; the old one keeps "
                        + "working for graceSeconds (default 0: disabled at once)", new Body("application/json",
                                "{graceSeconds?}", false), 201, NEW_KEY, this::rotateKey),
                operation("POST", key + "/disable", "disableAccessKey", "Disables a key: it is refused from now on", null, 200,
                        KEY, request -> changes.disableKey(request.path("accountId"), request.path("accessKeyId"))
                                .thenApply(disabled -> RestResponse.json(200, render(disabled)))),
                operation("DELETE", key, "deleteAccessKey", "Deletes a key", null, 204, "deleted",
                        request -> changes.deleteKey(request.path("accountId"), request.path("accessKeyId"))
                                .thenApply(deleted -> new RestResponse(204, null, Map.of(), new byte[0]))),
                operation("PUT", key + "/policies/{policyName}", "attachKeyPolicy", "Attaches a managed policy ("
                        + String.join(", ", AccountKey.MANAGED_POLICIES) + ")", null, 200, KEY,
                        request -> changes.attachPolicy(request.path("accountId"), request.path("accessKeyId"),
                                request.path("policyName")).thenApply(changed -> RestResponse.json(200, render(changed)))),
                operation("DELETE", key + "/policies/{policyName}", "detachKeyPolicy", "Detaches a managed policy", null, 200,
                        KEY, request -> changes.detachPolicy(request.path("accountId"), request.path("accessKeyId"),
                                request.path("policyName")).thenApply(changed -> RestResponse.json(200, render(changed)))));
    }

    private static RestOperation operation(String method, String path, String id, String summary, Body body, int status,
            String answer, java.util.function.Function<RestRequest, CompletableFuture<RestResponse>> handler) {
        Map<Integer, String> responses = new LinkedHashMap<>();
        responses.put(status, answer);
        responses.put(400, "invalid input (bad id, name, policy or grace)");
        responses.put(403, "AccessDenied (not an operator key)");
        responses.put(404, "no such account, key or policy");
        responses.put(409, "Conflict: duplicate, closed account, too many keys, or no cluster key on the server");
        return new RestOperation(method, path, id, summary + " (operator)", List.of(), body, responses, handler);
    }

    private CompletableFuture<RestResponse> createAccount(RestRequest request) {
        var body = READER.object(request.body(), Set.of("name", "accountId"));
        String name = READER.text(body, "name", "name");
        if (name == null) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter name.");
        }
        return changes.createAccount(Optional.ofNullable(READER.text(body, "accountId", "accountId")), name)
                .thenApply(created -> RestResponse.json(201, render(created)));
    }

    private CompletableFuture<RestResponse> describeAccount(RestRequest request) {
        String id = request.path("accountId");
        return changes.account(id).thenCombine(changes.keys(id), (account, keys) -> {
            Map<String, Object> body = render(account);
            body.put("keys", keys.stream().map(AccountsResource::render).toList());
            return RestResponse.json(200, body);
        });
    }

    private CompletableFuture<RestResponse> setQuotas(RestRequest request) {
        Set<String> fields = new java.util.HashSet<>();
        for (AccountQuotas.Quota quota : AccountQuotas.Quota.values()) {
            fields.add(quota.field());
        }
        var body = READER.object(request.body(), fields);
        Map<AccountQuotas.Quota, Long> wanted = new java.util.EnumMap<>(AccountQuotas.Quota.class);
        for (AccountQuotas.Quota quota : AccountQuotas.Quota.values()) {
            Integer value = READER.integer(body, quota.field(), quota.field());
            if (value != null) {
                wanted.put(quota, value.longValue());
            }
        }
        if (wanted.isEmpty()) {
            throw SqsError.MISSING_PARAMETER.exception("The request must set at least one quota: " + QUOTAS + ".");
        }
        return changes.setQuotas(request.path("accountId"), wanted).thenApply(account -> RestResponse.json(200,
                renderQuotas(account)));
    }

    private CompletableFuture<RestResponse> createKey(RestRequest request) {
        var body = READER.object(request.body(), Set.of("policies"));
        List<String> policies = READER.strings(body, "policies", "policies");
        return changes.createKey(request.path("accountId"), policies == null ? List.of() : policies)
                .thenApply(created -> RestResponse.json(201, render(created)));
    }

    private CompletableFuture<RestResponse> rotateKey(RestRequest request) {
        var body = READER.object(request.body(), Set.of("graceSeconds"));
        Integer grace = READER.integer(body, "graceSeconds", "graceSeconds");
        return changes.rotateKey(request.path("accountId"), request.path("accessKeyId"),
                Duration.ofSeconds(grace == null ? 0 : grace)).thenApply(created -> RestResponse.json(201, render(created)));
    }

    private static Map<String, Object> render(Account account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", account.id());
        body.put("name", account.name());
        body.put("state", account.open() ? "open" : "closed");
        body.put("created", account.createdMillis() == 0 ? null : Instant.ofEpochMilli(account.createdMillis()).toString());
        body.put("quotas", quotas(account.quotas()));
        return body;
    }

    private static Map<String, Object> renderQuotas(Account account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", account.id());
        body.put("quotas", quotas(account.quotas()));
        return body;
    }

    private static Map<String, Object> quotas(AccountQuotas quotas) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (AccountQuotas.Quota quota : AccountQuotas.Quota.values()) {
            values.put(quota.field(), quotas.get(quota));
        }
        return values;
    }

    private static Map<String, Object> render(AccountKey key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessKeyId", key.accessKeyId());
        body.put("accountId", key.accountId());
        body.put("state", key.state() == AccountKey.State.ACTIVE ? "active" : "disabled");
        body.put("policies", key.policies());
        body.put("created", Instant.ofEpochMilli(key.createdMillis()).toString());
        body.put("rotated", key.rotatedMillis() == 0 ? null : Instant.ofEpochMilli(key.rotatedMillis()).toString());
        body.put("disableAt", key.disableAtMillis() == 0 ? null : Instant.ofEpochMilli(key.disableAtMillis()).toString());
        return body;
    }

    private static Map<String, Object> render(AccountChanges.NewKey created) {
        Map<String, Object> body = render(created.key());
        body.put("secretAccessKey", created.secretAccessKey());
        return body;
    }
}
