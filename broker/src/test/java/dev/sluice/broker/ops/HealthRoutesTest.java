package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.raftstore.StoreHealth;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class HealthRoutesTest {

    @Test
    void aGroupWithoutALeaderMakesTheNodeDownAndSaysWhy() {
        Map<String, String> leaders = new LinkedHashMap<>();
        leaders.put("catalog", "n2");
        leaders.put("data-0", "");
        StoreHealth health = new StoreHealth(true, false, leaders, Map.of("data-0", "no leader known"));

        JsonObject body = HealthRoutes.body(health, health.ready());

        assertEquals("DOWN", body.getString("status"));
        assertEquals(true, body.getBoolean("live"));
        assertEquals(false, body.getBoolean("ready"));
        assertEquals("n2", body.getJsonObject("groups").getJsonObject("catalog").getString("leader"));
        assertNull(body.getJsonObject("groups").getJsonObject("catalog").getString("problem"));
        assertNull(body.getJsonObject("groups").getJsonObject("data-0").getString("leader"));
        assertEquals("no leader known", body.getJsonObject("groups").getJsonObject("data-0").getString("problem"));
    }

    @Test
    void aFatallyFailedGroupAppearsEvenWithoutALeaderEntry() {
        StoreHealth health = new StoreHealth(false, false, Map.of(), Map.of("data-3", "fatal: disk full"));

        JsonObject body = HealthRoutes.body(health, health.live());

        assertEquals("DOWN", body.getString("status"));
        assertEquals("fatal: disk full", body.getJsonObject("groups").getJsonObject("data-3").getString("problem"));
    }
}
