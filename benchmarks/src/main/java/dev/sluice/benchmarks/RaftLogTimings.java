package dev.sluice.benchmarks;

import com.sun.tools.attach.VirtualMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Where a Raft write's milliseconds go inside a running Sluice, read from the timers Ratis keeps anyway (its
 * Dropwizard metrics, published over JMX; nothing is switched on for this): per group, the leader's client-write
 * time (request in to reply out: append, fsync, apply), the log worker's queueing delay, fsync ("syncTime") and
 * write-task times, and the entries it wrote by kind (state-machine entries, commit-index metadata entries).
 * Ratis's timers are decaying samples biased to the last few minutes, so read this right after a run.
 *
 * <p>Usage: {@code RaftLogTimings PID [MIN_WRITES]}: attaches to the JVM (same user), prints one line per group
 * that served at least MIN_WRITES (default 100) client writes.
 */
public final class RaftLogTimings {
    /** Timers quoted as p50/p99 ms, in data-flow order. */
    private static final List<String> TIMERS = List.of(
            "server.%s.clientWriteRequest", "log_worker.%s.queueingDelay", "log_worker.%s.enqueuedTime",
            "log_worker.%s.writelogExecutionTime", "log_worker.%s.flushTime", "log_worker.%s.syncTime");
    /** Counters quoted as totals. */
    private static final List<String> COUNTERS = List.of(
            "log_worker.%s.stateMachineLogEntryCount", "log_worker.%s.metadataLogEntryCount", "log_worker.%s.flushCount");

    private RaftLogTimings() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: RaftLogTimings PID [MIN_WRITES]");
            System.exit(2);
        }
        long minWrites = args.length == 2 ? Long.parseLong(args[1]) : 100;
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            print(connector.getMBeanServerConnection(), minWrites);
        } finally {
            vm.detach();
        }
    }

    private static void print(MBeanServerConnection jmx, long minWrites) throws Exception {
        Map<String, String> names = new TreeMap<>(JavaThreadNames.groupNamesById());
        for (ObjectName writes : jmx.queryNames(new ObjectName("ratis:name=ratis.server.*.clientWriteRequest"), null)) {
            String division = writes.getKeyProperty("name").split("\\.")[2]; // n1@group-BDA7342DF7AC
            if (((Number) jmx.getAttribute(writes, "Count")).longValue() < minWrites) {
                continue;
            }
            String group = division.substring(division.indexOf('@') + 1);
            List<String> parts = new ArrayList<>();
            parts.add(names.getOrDefault(group, group));
            for (String timer : TIMERS) {
                ObjectName name = new ObjectName("ratis:name=ratis." + timer.formatted(division));
                parts.add(String.format(Locale.ROOT, "%s p50 %.3f p99 %.3f ms (n=%d)", shortName(timer),
                        number(jmx, name, "50thPercentile"), number(jmx, name, "99thPercentile"),
                        (long) number(jmx, name, "Count")));
            }
            for (String counter : COUNTERS) {
                ObjectName name = new ObjectName("ratis:name=ratis." + counter.formatted(division));
                parts.add(shortName(counter) + " " + (long) number(jmx, name, "Count"));
            }
            System.out.println("raft-log-timings " + String.join("; ", parts));
        }
    }

    private static String shortName(String metric) {
        return metric.substring(metric.lastIndexOf('.') + 1);
    }

    private static double number(MBeanServerConnection jmx, ObjectName name, String attribute) {
        try {
            return ((Number) jmx.getAttribute(name, attribute)).doubleValue();
        } catch (Exception missing) {
            return Double.NaN;
        }
    }
}
