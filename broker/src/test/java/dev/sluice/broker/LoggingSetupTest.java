package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The server's logging setup (simplelogger.properties) keeps routine failover quiet and real failures visible. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoggingSetupTest {

    @Test
    void ratisClientRetriesOnLeaderChangeAreSilentButUnconfirmedWritesAndOtherRatisProblemsAreLogged() {
        assertFalse(LoggerFactory.getLogger("org.apache.ratis.client.impl.OrderedAsync").isErrorEnabled(),
                "OrderedAsync logs each retried NotLeaderException at ERROR");
        assertTrue(LoggerFactory.getLogger(dev.sluice.raftstore.client.GroupClient.class).isWarnEnabled(),
                "GroupClient reports a write that fails after the retries");
        assertTrue(LoggerFactory.getLogger("org.apache.ratis.client.impl.UnorderedAsync").isErrorEnabled());
        assertTrue(LoggerFactory.getLogger("org.apache.ratis.server.impl.RaftServerImpl").isWarnEnabled());
    }
}
