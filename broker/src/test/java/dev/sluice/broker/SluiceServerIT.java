package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.ByteSize;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SluiceServerIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path sharedDirectory;
    @TempDir
    Path directory;

    private static SluiceServer server;
    private static HttpProbe http;

    /** A single node on free ports under a temporary directory, with a small body limit. */
    static SluiceConfig testConfig(Path dataDirectory) {
        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", FreePorts.next())
                .withDataDirectory(dataDirectory).withAllowTemporaryStorage(true);
        return defaults.withHttp(defaults.http().withPort(0).withMaxBodySize(ByteSize.ofKibibytes(64))).withRaft(raft);
    }

    @BeforeAll
    static void startServer() throws IOException {
        RouteMount echo = (router, context) -> router.post("/test/echo")
                .handler(request -> request.response().end(request.body().asString()));
        server = SluiceServer.start(testConfig(sharedDirectory), List.of(echo), InstantSource.system());
        http = new HttpProbe(server.httpPort());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAnswers200AndUpOnceEveryGroupHasALeader() throws Exception {
        HttpResponse<String> response = http.awaitStatus("/health", 200, READY_TIMEOUT);

        JsonObject body = new JsonObject(response.body());
        assertEquals("UP", body.getString("status"));
        assertEquals(true, body.getBoolean("live"));
        assertEquals(true, body.getBoolean("ready"));
        JsonObject catalog = body.getJsonObject("groups").getJsonObject("catalog");
        assertEquals("n1", catalog.getString("leader"));
        assertTrue(catalog.containsKey("problem") && catalog.getValue("problem") == null, body.encode());
        assertTrue(body.getJsonObject("groups").containsKey("data-0"), body.encode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void readinessAndLivenessProbesAnswerOnTheirOwnPaths() throws Exception {
        http.awaitStatus("/health", 200, READY_TIMEOUT);

        assertEquals(200, http.get("/health/ready").statusCode());
        assertEquals(200, http.get("/health/live").statusCode());
        assertEquals("UP", new JsonObject(http.get("/health/live").body()).getString("status"));
    }

    @Test
    void metricsShowJvmRaftAndHttpServerMetersInPrometheusText() throws Exception {
        http.awaitStatus("/health", 200, READY_TIMEOUT);
        server.node().catalog().put("test", "metrics", "v".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);

        HttpResponse<String> response = http.get("/metrics");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String text = response.body();
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM memory");
        assertTrue(text.contains("jvm_gc_"), "JVM GC");
        assertTrue(text.contains("jvm_threads_live_threads"), "JVM threads");
        assertTrue(text.contains("system_available_processors") && text.contains("process_cpu_seconds_total"), "processor");
        assertTrue(text.contains("jvm_classes_loaded_classes"), "class loader");
        assertTrue(text.contains("sluice_rocksdb_estimated_keys"), "RocksDB");
        assertTrue(text.contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\"}"),
                "HTTP server requests by method and status, not by route (ApiMeters labels by action)");
        Matcher commits = Pattern.compile("sluice_raft_commit_seconds_count\\{group=\"catalog\"} (\\d+)").matcher(text);
        assertTrue(commits.find(), "Raft commit timer");
        assertTrue(Long.parseLong(commits.group(1)) >= 1, commits.group());
    }

    @Test
    void mountedRoutesAreServedWithTheirBodiesRead() throws Exception {
        HttpResponse<String> response = http.post("/test/echo", "hello");

        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
    }

    @Test
    void bodiesOverTheConfiguredLimitAreRefusedWith413() throws Exception {
        HttpResponse<String> response = http.post("/test/echo", "x".repeat(64 * 1024 + 1));

        assertEquals(413, response.statusCode());
    }

    @Test
    void closeStopsHttpAndThenTheStoreNode() throws Exception {
        SluiceServer second = SluiceServer.start(testConfig(directory), List.of(), InstantSource.system());
        HttpProbe probe = new HttpProbe(second.httpPort());
        probe.awaitStatus("/health/live", 200, READY_TIMEOUT);

        second.close();
        second.close();

        assertThrows(ConnectException.class, () -> probe.get("/health"));
        assertEquals(false, second.node().health().live());
    }

    @Test
    void aPortInUseFailsTheStartAndReleasesTheRaftPort() throws Exception {
        SluiceConfig config = testConfig(directory);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SluiceConfig clashing = config.withHttp(config.http().withPort(taken.getLocalPort()));

            IOException failure = assertThrows(IOException.class,
                    () -> SluiceServer.start(clashing, List.of(), InstantSource.system()));
            assertTrue(failure.getMessage().contains("listening on 127.0.0.1:" + taken.getLocalPort()), failure.getMessage());
        }
        try (ServerSocket raftPortAgain = new ServerSocket(config.raft().raftPort(), 1, InetAddress.getLoopbackAddress())) {
            assertEquals(config.raft().raftPort(), raftPortAgain.getLocalPort());
        }
    }

    /** The HTTP front is built beside the Raft start (HttpFront): a Raft start that fails must close it too. */
    @Test
    void aStoreThatCannotOpenFailsTheStartAndLeavesNoVertxBehind() throws Exception {
        long vertxBefore = vertxInstances();
        Path notADirectory = java.nio.file.Files.writeString(directory.resolve("a-file"), "not a directory");

        assertThrows(IOException.class, () -> SluiceServer.start(testConfig(notADirectory), List.of(), InstantSource.system()));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (vertxInstances() > vertxBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(vertxBefore, vertxInstances(), "Vert.x instances left running (their blocked-thread checkers)");
    }

    /** Every Vert.x instance runs one blocked-thread checker thread until it is closed. */
    private static long vertxInstances() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("vertx-blocked-thread-checker")).count();
    }
}
