package dev.sluice.examples.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What the function does for one alert: mail it, text it when it is critical, and restart the service of a
 * firing alert labelled {@code action=restart}. Each step is remembered per alert identity once it
 * succeeded (up to {@link #REMEMBERED} identities), so a redelivered message only retries what failed.
 */
final class AlertActions {
    static final int REMEMBERED = 10_000;

    private final Vertx vertx;
    private final WebClient http;
    private final AlertFunction.Options options;
    private final Session mail;
    private final Set<String> done = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    AlertActions(Vertx vertx, WebClient http, AlertFunction.Options options) {
        this.vertx = vertx;
        this.http = http;
        this.options = options;
        Properties properties = new Properties();
        properties.put("mail.smtp.host", options.smtpHost());
        properties.put("mail.smtp.port", String.valueOf(options.smtpPort()));
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "5000");
        this.mail = Session.getInstance(properties);
    }

    /** Succeeds when every step this alert needs has succeeded, now or on an earlier delivery. */
    Future<Void> handle(Alert alert) {
        return once(alert, "mail", () -> sendMail(alert))
                .compose(ignored -> alert.firing() && "restart".equals(alert.labels().get("action"))
                        ? once(alert, "restart", () -> restart(alert.labels().getOrDefault("service", alert.labels().get("job"))))
                        : Future.succeededFuture())
                .compose(ignored -> "critical".equals(alert.severity())
                        ? once(alert, "sms", () -> text(alert.headline()))
                        : Future.succeededFuture());
    }

    private Future<Void> once(Alert alert, String step, java.util.function.Supplier<Future<Void>> action) {
        String key = step + "|" + alert.identity();
        if (done.contains(key)) {
            return Future.succeededFuture();
        }
        return action.get().onSuccess(ignored -> done.add(key));
    }

    private Future<Void> sendMail(Alert alert) {
        return vertx.executeBlocking(() -> {
            MimeMessage message = new MimeMessage(mail);
            message.setFrom(new InternetAddress(options.mailFrom()));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(options.mailTo()));
            message.setSubject(alert.headline());
            message.setText(alert.headline() + "\n\nlabels: " + alert.labels() + "\nannotations: " + alert.annotations()
                    + "\nstarts at: " + alert.startsAt() + "\n");
            try {
                Transport.send(message);
            } catch (MessagingException e) {
                throw new IllegalStateException("mail to " + options.mailTo() + " failed: " + e.getMessage(), e);
            }
            return null;
        }, false);
    }

    private Future<Void> text(String text) {
        return expect2xx(http.postAbs(options.smsUrl()).timeout(5000)
                .sendJsonObject(new JsonObject().put("to", options.smsTo()).put("text", text)), "SMS gateway");
    }

    private Future<Void> restart(String service) {
        if (service == null) {
            return Future.failedFuture("a restart alert needs a service or job label");
        }
        return expect2xx(http.postAbs(options.restartUrl() + "/" + service + "/restart").timeout(5000).send(), "restart of " + service);
    }

    private static Future<Void> expect2xx(Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> call, String what) {
        return call.compose(response -> response.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
                : Future.failedFuture(what + " answered " + response.statusCode()));
    }
}
