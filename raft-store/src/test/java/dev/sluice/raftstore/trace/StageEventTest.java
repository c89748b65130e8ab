package dev.sluice.raftstore.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StageEventTest {
    @TempDir
    Path dir;

    @Test
    void aStageIsRecordedWithItsNameAndTimeOnlyWhileARecordingEnablesIt() throws Exception {
        StageEvent.record("before-recording", System.nanoTime());
        Path file = dir.resolve("stages.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(StageEvent.NAME).withoutThreshold();
            recording.start();
            long started = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(3);
            StageEvent.record("raft.write", started);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().equals(StageEvent.NAME)).toList();
        assertEquals(1, events.size(), "only the stage recorded while enabled");
        assertEquals("raft.write", events.get(0).getString("stage"));
        long time = events.get(0).getLong("time");
        assertTrue(time >= TimeUnit.MILLISECONDS.toNanos(3) && time < TimeUnit.SECONDS.toNanos(10), "time " + time);
    }
}
