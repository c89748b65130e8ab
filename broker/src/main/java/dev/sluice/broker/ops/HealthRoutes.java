package dev.sluice.broker.ops;

import dev.sluice.broker.RouteMount;
import dev.sluice.raftstore.StoreHealth;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code /health/ready}: 200 when every Raft group hosted here has a leader this node
 * reaches (it leads with a majority answering, or heard from its leader within a few heartbeats) and can write, else
 * 503 (load balancers stop sending traffic). {@code GET /health/live}: 200 unless the node has stopped or a group
 * failed fatally (orchestrators restart the process). All three answer
 * {@code {"status":"UP"|"DOWN","live":..,"ready":..,"groups":{name:{"leader":..,"problem":..}}}}.
 * Runs on the event loop: {@link dev.sluice.raftstore.RaftStoreNode#health()} reads memory only.
 */
public final class HealthRoutes implements RouteMount {

    @Override
    public void mount(Router router, Context context) {
        Supplier<StoreHealth> health = context.node()::health;
        router.get("/health").handler(request -> respond(request, health.get(), false));
        router.get("/health/ready").handler(request -> respond(request, health.get(), false));
        router.get("/health/live").handler(request -> respond(request, health.get(), true));
    }

    private static void respond(RoutingContext request, StoreHealth health, boolean livenessOnly) {
        boolean up = livenessOnly ? health.live() : health.ready();
        request.response()
                .setStatusCode(up ? 200 : 503)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(body(health, up).encode());
    }

    /** The response body; {@code problem} is null for a healthy group. */
    static JsonObject body(StoreHealth health, boolean up) {
        JsonObject groups = new JsonObject();
        health.leaders().forEach((group, leader) -> groups.put(group, new JsonObject()
                .put("leader", leader.isEmpty() ? null : leader)
                .put("problem", health.problems().get(group))));
        health.problems().forEach((group, problem) -> {
            if (!groups.containsKey(group)) {
                groups.put(group, new JsonObject().putNull("leader").put("problem", problem));
            }
        });
        return new JsonObject()
                .put("status", up ? "UP" : "DOWN")
                .put("live", health.live())
                .put("ready", health.ready())
                .put("groups", groups);
    }
}
