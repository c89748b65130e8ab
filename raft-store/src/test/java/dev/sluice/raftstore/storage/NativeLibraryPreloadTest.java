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
 * {@link NativeLibrary#preload} returns before the library is loaded: Main's thread goes on reading its configuration
 * while another thread loads it (found in review: a preload on RocksStore ran RocksStore's static initializer, which
 * loads the library, on the caller's thread first). Run in a fresh JVM (the library is loaded once per JVM), which
 * reports the library's state the moment the call returns.
 */
class NativeLibraryPreloadTest {
    /** The fresh JVM's main: calls the preload and prints the library's state right after it returns. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            long started = System.nanoTime();
            NativeLibrary.preload();
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
