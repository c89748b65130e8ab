package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaThreadNamesTest {

    @Test
    void threadLinesGiveNamesByNativeIdWithRaftGroupIdsReplacedByGroupNames() {
        String dump = """
                2026-12-05 07:21:40
                Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

                "n1@group-BDA7342DF7AC-StateMachineUpdater" #61 daemon prio=5 os_prio=0 cpu=73.37ms elapsed=20.11s tid=0x00007f nid=0x25c7 waiting on condition  [0x00007f]
                   java.lang.Thread.State: TIMED_WAITING (parking)
                "vert.x-eventloop-thread-0" #40 prio=5 os_prio=0 cpu=18.47ms elapsed=19.80s tid=0x00007f nid=0x25a1 runnable  [0x00007f]
                "GC Thread#0" os_prio=0 cpu=85.10ms elapsed=20.90s tid=0x00007f nid=0x2589 runnable
                """;

        Map<Long, String> names = JavaThreadNames.parse(dump);

        assertEquals(Map.of(0x25c7L, "n1@data-0-StateMachineUpdater", 0x25a1L, "vert.x-eventloop-thread-0",
                0x2589L, "GC Thread#0"), names);
    }

    @Test
    void thisJvmsThreadsAreNamedOrNothingIsWhenJcmdCannotAnswer() {
        Map<Long, String> names = JavaThreadNames.of(ProcessHandle.current().pid(), Duration.ofSeconds(45));
        assertTrue(names.isEmpty() || names.containsValue("main"), names.toString());
    }
}
