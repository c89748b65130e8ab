package dev.sluice.benchmarks;

import dev.sluice.raftstore.StoreGroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The full names of a JVM's threads by Linux thread id, from one {@code jcmd PID Thread.print} (Linux keeps
 * only 15 characters, which hides {@code StateMachineUpdater} from {@code SegmentedRaftLogWorker}). Ratis
 * names a group's threads by its id ({@code n1@group-BDA7342DF7AC-StateMachineUpdater}); Sluice's group ids
 * derive from the group names, so those are put back ({@code n1@data-0-StateMachineUpdater}).
 *
 * <p>Best effort: when jcmd is missing, slow or refused, the names are empty and callers keep Linux's.
 */
final class JavaThreadNames {

    /** A thread line: {@code "name" #12 daemon prio=5 os_prio=0 cpu=1.2ms elapsed=3.4s tid=0x... nid=0x1f2e ...}. */
    private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|[0-9]+)\\b");
    /** Group names whose ids are put back: the catalog and this many data groups. */
    static final int MAX_DATA_GROUPS = 64;

    private JavaThreadNames() {
    }

    /** Thread id to full name for JVM {@code pid}; empty if jcmd did not answer within {@code timeout}. */
    static Map<Long, String> of(long pid, Duration timeout) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                return Map.of();
            }
            return parse(dump);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Thread id to name, group ids replaced by group names, from a Thread.print dump. */
    static Map<Long, String> parse(String threadDump) {
        Map<String, String> groupNames = groupNamesById();
        Map<Long, String> names = new HashMap<>();
        for (String line : threadDump.split("\n")) {
            Matcher thread = THREAD_LINE.matcher(line);
            if (thread.find()) {
                String nid = thread.group(2);
                long id = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                String name = thread.group(1);
                for (Map.Entry<String, String> group : groupNames.entrySet()) {
                    name = name.replace(group.getKey(), group.getValue());
                }
                names.put(id, name);
            }
        }
        return names;
    }

    /** Ratis's group ids ({@code group-BDA7342DF7AC}) to Sluice's group names, for the catalog and the data groups. */
    static Map<String, String> groupNamesById() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(StoreGroups.groupId(StoreGroups.CATALOG).toString(), StoreGroups.CATALOG);
        for (int i = 0; i < MAX_DATA_GROUPS; i++) {
            names.put(StoreGroups.groupId(StoreGroups.dataGroupName(i)).toString(), StoreGroups.dataGroupName(i));
        }
        return names;
    }
}
