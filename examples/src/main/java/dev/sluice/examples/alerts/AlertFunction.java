package dev.sluice.examples.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert-handling function: an HTTP endpoint shaped like the Lambda Runtime Interface Emulator
 * ({@code POST /2015-03-31/functions/function/invocations}) that takes Lambda's SQS event, handles every
 * alert of every record with {@link AlertActions}, and answers a partial batch response listing the
 * records whose actions failed (map it with {@code FunctionResponseTypes: ["ReportBatchItemFailures"]}).
 *
 * <pre>java -cp examples/target/classes:... dev.sluice.examples.alerts.AlertFunction --port 8080 \
 *   --smtp-host 127.0.0.1 --smtp-port 25 --mail-from sluice@example.com --mail-to oncall@example.com \
 *   --sms-url http://sms-gateway/send --sms-to +15550100 --restart-url http://ops/services</pre>
 */
public final class AlertFunction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFunction.class);
    public static final String PATH = "/2015-03-31/functions/function/invocations";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the function sends things. {@code restartUrl} is a base: {@code {restartUrl}/{service}/restart}. */
    public record Options(int port, String smtpHost, int smtpPort, String mailFrom, String mailTo, String smsUrl, String smsTo,
            String restartUrl) {

        static Options parse(String[] args) {
            Map<String, String> flags = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                flags.put(args[i], args[i + 1]);
            }
            return new Options(Integer.parseInt(flags.getOrDefault("--port", "8080")), flags.getOrDefault("--smtp-host", "127.0.0.1"),
                    Integer.parseInt(flags.getOrDefault("--smtp-port", "25")), flags.getOrDefault("--mail-from", "sluice@localhost"),
                    flags.getOrDefault("--mail-to", "oncall@localhost"), required(flags, "--sms-url"),
                    flags.getOrDefault("--sms-to", "oncall"), required(flags, "--restart-url"));
        }

        private static String required(Map<String, String> flags, String name) {
            String value = flags.get(name);
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return value;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final WebClient http;

    private AlertFunction(Vertx vertx, HttpServer server, WebClient http) {
        this.vertx = vertx;
        this.server = server;
        this.http = http;
    }

    public static AlertFunction start(Options options) throws Exception {
        Vertx vertx = Vertx.vertx();
        WebClient http = WebClient.create(vertx);
        AlertActions actions = new AlertActions(vertx, http, options);
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
                invoke(actions, body.toString()).onComplete(result -> {
                    if (result.succeeded()) {
                        request.response().putHeader("Content-Type", "application/json").end(result.result().encode());
                    } else {
                        request.response().putHeader("X-Amz-Function-Error", "Unhandled").end(new JsonObject()
                                .put("errorType", "AlertFunctionError").put("errorMessage", String.valueOf(result.cause())).encode());
                    }
                }))).listen(options.port(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("alert function listening on http://127.0.0.1:{}{}", server.actualPort(), PATH);
        return new AlertFunction(vertx, server, http);
    }

    /** Handles every record; the answer lists the records with a failed action. */
    static Future<JsonObject> invoke(AlertActions actions, String eventJson) {
        JsonNode records;
        try {
            records = JSON.readTree(eventJson).path("Records");
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        List<Future<String>> outcomes = new ArrayList<>();
        for (JsonNode record : records) {
            String messageId = record.path("messageId").asText();
            Future<Void> handled;
            try {
                handled = Future.all(Alert.fromMessageBody(record.path("body").asText()).stream().map(actions::handle).toList())
                        .mapEmpty();
            } catch (Exception e) {
                LOG.warn("record {} is not an Alertmanager webhook; it fails: {}", messageId, e.toString());
                handled = Future.failedFuture(e);
            }
            outcomes.add(handled.transform(result -> {
                if (result.failed()) {
                    LOG.info("record {} failed: {}", messageId, result.cause().getMessage());
                }
                return Future.succeededFuture(result.succeeded() ? null : messageId);
            }));
        }
        return Future.join(outcomes).transform(ignored -> {
            JsonArray failures = new JsonArray();
            outcomes.stream().map(Future::result).filter(java.util.Objects::nonNull)
                    .forEach(id -> failures.add(new JsonObject().put("itemIdentifier", id)));
            return Future.succeededFuture(new JsonObject().put("batchItemFailures", failures));
        });
    }

    public int port() {
        return server.actualPort();
    }

    public String invokeUrl() {
        return "http://127.0.0.1:" + port() + PATH;
    }

    @Override
    public void close() throws Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        AlertFunction function = start(Options.parse(args));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                function.close();
            } catch (Exception e) {
                LOG.warn("stopping failed", e);
            }
        }));
    }
}
