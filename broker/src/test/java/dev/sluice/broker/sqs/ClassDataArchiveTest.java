package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClassDataArchiveTest {
    @TempDir
    Path directory;

    @Test
    void aNewArchiveRemovesEarlierCompilesArchivesAndJarsButKeepsItsOwnAndOtherFiles() throws Exception {
        Path jars = Files.createDirectories(directory.resolve("jars"));
        Path current = Files.createFile(directory.resolve("sluice-new.jsa"));
        Path earlier = Files.createFile(directory.resolve("sluice-old.jsa"));
        Path usedJar = Files.createFile(jars.resolve("classes-new.jar"));
        Path earlierJar = Files.createFile(jars.resolve("classes-old.jar"));
        Path log = Files.createFile(directory.resolve("training.log"));
        String classPath = String.join(File.pathSeparator, "/m2/some-library.jar", usedJar.toString());

        ClassDataArchive.removeEarlierBuilds(directory, classPath, current);

        try (Stream<Path> left = Stream.concat(Files.list(directory), Files.list(jars))) {
            assertEquals(List.of(jars, usedJar, current, log).stream().sorted().toList(), left.sorted().toList());
        }
        assertFalse(Files.exists(earlier) || Files.exists(earlierJar));
    }
}
