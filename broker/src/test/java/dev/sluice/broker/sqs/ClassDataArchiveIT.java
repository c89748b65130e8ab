package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.Main;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The archive {@link SluiceProcesses} starts nodes with: made from the test class path, it holds the server's own
 * classes, and a JVM started as the nodes are maps it ({@code -Xshare:on} refuses to start otherwise). The training
 * start is shared with every process test of the build (the archive stays under target/).
 */
@Tag("fault")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClassDataArchiveIT {

    @Test
    void theServersOwnClassesLoadFromTheArchiveMadeOfTheTestClassPath() throws Exception {
        ClassDataArchive archive = ClassDataArchive.forClassPath(Path.of("target", "class-data-sharing").toAbsolutePath(),
                System.getProperty("java.class.path"));
        assertTrue(Files.isRegularFile(archive.archive()), "the training start wrote the archive");
        for (String entry : archive.classPath().split(File.pathSeparator)) {
            assertTrue(!Files.isDirectory(Path.of(entry)), "only jars on the nodes' class path: " + entry);
        }
        List<String> command = new ArrayList<>(List.of(SluiceProcesses.java(), "-Xshare:on", "-Xlog:class+load=info"));
        command.addAll(archive.jvmOptions());
        command.addAll(List.of("-cp", archive.classPath(), Main.class.getName(), "--help"));
        Process help = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(help.getInputStream().readAllBytes());
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue(), output);
        assertTrue(output.contains(Main.class.getName() + " source: shared objects file (top)"),
                "Main came from the archive:\n" + output.lines().filter(line -> line.contains("dev.sluice")).limit(5).toList());
    }
}
