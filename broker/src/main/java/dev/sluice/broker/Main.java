package dev.sluice.broker;

import dev.sluice.broker.config.ConfigLoader;
import dev.sluice.broker.config.LoadResult;
import dev.sluice.raftstore.storage.NativeLibrary;
import java.lang.management.ManagementFactory;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sluice.jar [flags]}, or {@code java -jar sluice.jar admin ...} for the operators' commands
 * ({@link AdminCommand}, its own exit codes). Exit codes: 0 after {@code --help} or a clean stop, 2 when the
 * configuration has problems (all of them are printed), 1 when start-up fails. SIGTERM and SIGINT stop
 * the server gracefully through a shutdown hook.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(new AdminCommand(System.out, System.err, InstantSource.system())
                    .run(List.of(args).subList(1, args.length), System.getenv()));
        }
        // Beside the configuration's loading and the Raft server's build, not in the first store's open.
        NativeLibrary.preload();
        LoadResult loaded = ConfigLoader.load(List.of(args), System.getenv());
        if (loaded.helpRequested()) {
            System.out.print(ConfigLoader.usage());
            return;
        }
        if (!loaded.ok()) {
            System.err.println("sluice: not started; the configuration has " + loaded.problems().size() + " problem(s):");
            loaded.problems().forEach(problem -> System.err.println("  - " + problem));
            System.err.println("Run with --help to see every flag, variable and config-file key.");
            System.exit(EXIT_BAD_CONFIG);
        }
        LOG.info(loaded.describe());
        SluiceServer server;
        try {
            server = SluiceServer.start(loaded.config(), List.of(), InstantSource.system());
        } catch (Throwable e) {
            // Errors too (a missing class, say): Ratis may have started non-daemon threads that would keep the JVM alive.
            LOG.error("Sluice failed to start", e);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Sluice stopping");
            server.close();
            LOG.info("Sluice stopped");
        }, "sluice-shutdown"));
        LOG.info("Sluice listening on http://{}:{} ({} ms after the JVM started, {} ms of CPU)", loaded.config().http().host(),
                server.httpPort(), ManagementFactory.getRuntimeMXBean().getUptime(), processCpuMillis());
    }

    /** The CPU time this JVM has used, or -1 where the platform does not say: a slow start waited or was starved. */
    private static long processCpuMillis() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000 : -1;
    }
}
