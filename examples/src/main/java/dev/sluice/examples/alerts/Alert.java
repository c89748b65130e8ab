package dev.sluice.examples.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert of a Prometheus Alertmanager webhook ({@code {"version":"4","status":...,"alerts":[...]}}).
 * {@code identity} (fingerprint, status and start) stays the same when the message is delivered again,
 * so actions already taken for it are not repeated.
 */
record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt, String fingerprint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String name() {
        return labels.getOrDefault("alertname", "alert");
    }

    String severity() {
        return labels.getOrDefault("severity", "none");
    }

    boolean firing() {
        return "firing".equals(status);
    }

    String identity() {
        return fingerprint + "|" + status + "|" + startsAt;
    }

    /** One line for a text or a mail subject: {@code [FIRING] DiskFull db-1: disk 95% full}. */
    String headline() {
        return "[" + status.toUpperCase(java.util.Locale.ROOT) + "] " + name() + " " + labels.getOrDefault("instance", "")
                + (annotations.containsKey("summary") ? ": " + annotations.get("summary") : "");
    }

    /**
     * The alerts of a queue message's body: an Alertmanager webhook, either raw or inside an SNS
     * notification envelope (a topic subscription without raw message delivery).
     */
    static List<Alert> fromMessageBody(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (root.has("Type") && root.has("Message")) {
            root = JSON.readTree(root.get("Message").asText());
        }
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode alert : root.path("alerts")) {
            alerts.add(new Alert(alert.path("status").asText(root.path("status").asText("firing")), strings(alert.path("labels")),
                    strings(alert.path("annotations")), alert.path("startsAt").asText(""), alert.path("fingerprint").asText(
                            strings(alert.path("labels")).toString())));
        }
        return alerts;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(field -> out.put(field.getKey(), field.getValue().asText()));
        return out;
    }
}
