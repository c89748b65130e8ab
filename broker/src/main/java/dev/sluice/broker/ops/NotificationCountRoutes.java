package dev.sluice.broker.ops;

import dev.sluice.broker.RouteMount;
import dev.sluice.broker.api.rest.TopicCounts;
import dev.sluice.notify.service.NotificationCounts;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Predicate;

/**
 * {@code GET /metrics/notifications?topic=<name>}: what this node published and delivered for one topic, as JSON
 * ({@code {kind: {protocol: count}}}), for the node serving the console, which sums every node's answer (see
 * {@link ClusterTopicCounts}, asking with the peer key). The same numbers {@code /metrics} exports, so guarded like it
 * (with auth on: the scrape token or an operator's signature, see {@code AuthenticationHandler}), and only for a topic
 * that {@code /metrics} shows under its own label: one summed under the overflow label (or unknown here) is 404, so a
 * scraper learns nothing {@code /metrics} does not tell, not even whether a topic exists. Read from memory on the
 * event loop.
 */
public final class NotificationCountRoutes implements RouteMount {
    public static final String PATH = "/metrics/notifications";

    private final NotificationCounts counts;
    private final Predicate<String> labelled;

    /** @param labelled whether {@code /metrics} labels a topic (see {@link NotifyMeters#labels}) */
    public NotificationCountRoutes(NotificationCounts counts, Predicate<String> labelled) {
        this.counts = counts;
        this.labelled = labelled;
    }

    @Override
    public void mount(Router router, Context context) {
        router.get(PATH).handler(request -> {
            String topic;
            try {
                topic = request.request().getParam("topic");
            } catch (IllegalArgumentException undecodable) {
                topic = null; // a broken escape in the query: the caller's mistake, a 400 like a missing name
            }
            if (topic == null || topic.isEmpty()) {
                request.response().setStatusCode(400).end();
                return;
            }
            if (!labelled.test(topic)) {
                request.response().setStatusCode(404).end();
                return;
            }
            JsonObject body = new JsonObject();
            TopicCounts.ofTopic(counts.snapshot(), topic).forEach((kind, byProtocol) -> {
                JsonObject protocols = new JsonObject();
                byProtocol.forEach(protocols::put);
                body.put(kind, protocols);
            });
            request.response().putHeader("content-type", "application/json").end(body.encode());
        });
    }
}
