package dev.sluice.raftstore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Review of restart15's RocksStore.preloadNativeLibrary. FAILS on integ15 (the proof): its javadoc says it loads the
 * native library on a thread of its own and returns at once, but calling it initializes RocksStore, whose static
 * initializer runs RocksDB.loadLibrary() on the caller's thread first: Main's thread waits for the whole load
 * (0.2-0.5 s) before it reads its configuration, and the "rocksdb-library" thread finds the work done. Run in a fresh
 * JVM (the library is loaded once per JVM), which reports the library's state the moment the call returns.
 */
class RocksLibraryPreloadReviewTest {
    /** The fresh JVM's main: calls the preload and prints the library's state right after it returns. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            long started = System.nanoTime();
            RocksStore.preloadNativeLibrary();
            System.out.println("preload call took ms=" + (System.nanoTime() - started) / 1_000_000);
            java.lang.reflect.Field field = org.rocksdb.RocksDB.class.getDeclaredField("libraryLoaded");
            field.setAccessible(true);
            System.out.println("state=" + ((AtomicReference<?>) field.get(null)).get());
        }
    }

    @Test
    void thePreloadReturnsBeforeTheLibraryIsLoaded() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName())).redirectErrorStream(true).start();
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        String state = output.lines().filter(line -> line.startsWith("state=")).findFirst().orElseThrow();
        assertNotEquals("state=LOADED", state, "the library was loaded on the caller's thread before the call returned: "
                + output);
    }
}
