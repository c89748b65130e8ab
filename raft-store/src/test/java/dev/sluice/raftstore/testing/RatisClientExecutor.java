package dev.sluice.raftstore.testing;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;

/**
 * How many requests one division's Ratis client executor has taken: RaftServer#submitClientRequestAsync hands every
 * request it is given, and every request that arrives over gRPC, to that pool ({@code RaftServerImpl.clientExecutor},
 * Ratis 3.3.0; read by reflection, as Ratis has no metric for it). Counted per division rather than by looking for its
 * threads ("n1-client-thread1"), which other test classes' clusters in the same JVM name alike.
 */
public final class RatisClientExecutor {
    private RatisClientExecutor() {
    }

    /** Requests the division's client executor has taken so far. */
    public static long tasksTaken(RaftServer server, RaftGroupId group) throws IOException, ReflectiveOperationException {
        RaftServer.Division division = server.getDivision(group);
        Field field = division.getClass().getDeclaredField("clientExecutor");
        field.setAccessible(true);
        return ((ThreadPoolExecutor) field.get(division)).getTaskCount();
    }
}
