package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProfileSummaryTest {

    @Test
    void threadRolesDropNumbersAndGroupIds() {
        assertEquals("nN@group-StateMachineUpdater",
                ProfileSummary.threadRole("[n1@group-BDA7342DF7AC-StateMachineUpdater tid=4242]"));
        assertEquals("vert.x-eventloop-thread-N", ProfileSummary.threadRole("[vert.x-eventloop-thread-3 tid=17]"));
    }

    @Test
    void theInnermostFrameThatNamesAKindDecides() {
        assertEquals("JSON (Jackson)", kind("[vert.x-eventloop-thread-0 tid=1]",
                "dev/sluice/clientsdk/JsonProtocolCodec.decode", "com/fasterxml/jackson/core/Parser.next",
                "java/util/HashMap.getNode"));
        assertEquals("thread hand-off (park, wake, switch)", kind("[n1-client-thread1 tid=2]",
                "org/apache/ratis/server/impl/RaftServerImpl.appendTransaction", "jdk/internal/misc/Unsafe.park",
                "__x64_sys_futex_[k]", "finish_task_switch.isra.0_[k]"));
        assertEquals("RocksDB", kind("[n1@group-BDA7342DF7AC-StateMachineUpdater tid=3]",
                "dev/sluice/broker/storage/RocksQueueStorage.readMessage", "rocksdb::DBImpl::GetImpl", "__memcmp_evex_movbe"));
        assertEquals("other (JDK, kernel, JVM runtime)", kind("[Thread-1 tid=9]", "java/lang/Thread.run"));
    }

    @Test
    void fsyncOwnsItsWaitsAndThreadKindsOwnEverything() {
        assertEquals("fsync (kernel)", kind("[n1@group-BDA7342DF7AC-SegmentedRaftLogWorker tid=5]",
                "org/apache/ratis/server/raftlog/segmented/BufferedWriteChannel.flush", "__GI_fdatasync",
                "ext4_sync_file_[k]", "schedule_[k]", "finish_task_switch.isra.0_[k]"));
        assertEquals("JIT compiler", kind("[C2 CompilerThre tid=6]", "Compile::Optimize", "futex_wake_[k]"));
        assertEquals("garbage collector", kind("[G1 Conc#0 tid=7]", "G1CMTask::do_marking_step"));
    }

    @Test
    void reportGivesSharesOfAllSamples() {
        ProfileSummary summary = new ProfileSummary();
        summary.add("[vert.x-eventloop-thread-0 tid=1];dev/sluice/broker/api/http/SqsRoutes.handle;"
                + "com/fasterxml/jackson/core/Parser.next 3");
        summary.add("[vert.x-eventloop-thread-1 tid=2];dev/sluice/broker/api/http/SqsRoutes.handle 1");
        summary.add("not a collapsed line");
        String report = summary.report(5);
        assertTrue(report.startsWith("4 samples"), report);
        assertTrue(report.contains(" 75.0%  JSON (Jackson)"), report);
        assertTrue(report.contains(" 25.0%  Sluice"), report);
        assertTrue(report.contains("100.0%  vert.x-eventloop-thread-N"), report);
        assertTrue(report.contains("100.0%  dev/sluice/broker/api/http/SqsRoutes.handle"), report);
    }

    private static String kind(String thread, String... frames) {
        String[] all = new String[frames.length + 1];
        all[0] = thread;
        System.arraycopy(frames, 0, all, 1, frames.length);
        return ProfileSummary.kindOf(ProfileSummary.threadRole(thread), all);
    }
}
