package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.Peer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every call through a group client ends within its request timeout (plus a second), also when the only member
 * accepts connections and never answers (a frozen node): the Ratis client's own retries would go on for attempts
 * times the attempt timeout, minutes, with the caller (a migration step, a transfer round, an HTTP request) waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupClientDeadlineTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void writesReadsAndReplicaReadsEndWithinTheRequestTimeoutWhenTheMemberNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepted, never read from nor answered
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Peer frozen = new Peer("n1", "127.0.0.1", silent.getLocalPort());
            GroupClientSettings settings = new GroupClientSettings(4, 1024 * 1024, REQUEST_TIMEOUT, 64, Duration.ofSeconds(2));
            byte[] request = "r".getBytes(StandardCharsets.UTF_8);
            try (GroupClient client = new GroupClient("data-0", List.of(frozen), settings, new SimpleMeterRegistry())) {
                assertEndsInTime("write", c -> c.submit(request), client);
                assertEndsInTime("read", c -> c.query(request), client);
                assertEndsInTime("replica read", c -> c.queryReplica("n1", 0, request), client);
            }
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static void assertEndsInTime(String what, Function<GroupClient, CompletableFuture<?>> call, GroupClient client) {
        long started = System.nanoTime();
        CompletableFuture<?> result = call.apply(client);
        assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS), what + " must fail, not hang");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // The bound is the request timeout plus a second from the send; the first call also loads the Ratis client's
        // classes and opens its channel before that (0.2-0.7 s seen), so the check leaves room for it. A hang is 30 s+.
        assertTrue(tookMillis <= REQUEST_TIMEOUT.toMillis() + 3_000, what + " took " + tookMillis + " ms");
    }
}
