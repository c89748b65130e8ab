package dev.sluice.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The outcome of one {@link RaftStoreBenchmark} run. Every count and CPU time is over the measured
 * window only.
 *
 * @param nodes             raft-store nodes (separate JVMs)
 * @param clients           writes outstanding at once
 * @param valueBytes        size of each put's value
 * @param leader            id of the catalog group's leader as the client last saw it ("" if unknown)
 * @param measuredSeconds   actual length of the measured window
 * @param committed         puts acknowledged (committed on a quorum and applied) in the window
 * @param latency           put latency, submit to acknowledgement, of those puts
 * @param entries           Raft entries the group client proposed in the window
 * @param entryCommands     commands those entries carried (the group-commit factor's numerator)
 * @param errors            failed puts over the whole run (each retried by its chain after a pause)
 * @param nodeCpuMillis     CPU time of each node process, in node order (n1, n2, ...)
 * @param clientCpuMillis   this JVM's CPU time (the client, including its Ratis client)
 * @param machineBusyMillis busy CPU time of the whole machine, all cores
 * @param cores             cores the machine has
 * @param loadAverageBefore the 1-minute load average just before the nodes started
 * @param firstError        the first error seen, to tell what went wrong
 */
record RaftBenchReport(
        int nodes,
        int clients,
        int valueBytes,
        String leader,
        double measuredSeconds,
        long committed,
        LatencySummary latency,
        long entries,
        long entryCommands,
        long errors,
        List<Long> nodeCpuMillis,
        long clientCpuMillis,
        long machineBusyMillis,
        int cores,
        double loadAverageBefore,
        Optional<String> firstError) {

    RaftBenchReport {
        if (!(measuredSeconds > 0)) {
            throw new IllegalArgumentException("measured window must be positive: " + measuredSeconds);
        }
        if (nodeCpuMillis.size() != nodes) {
            throw new IllegalArgumentException(nodeCpuMillis.size() + " CPU readings for " + nodes + " nodes");
        }
        nodeCpuMillis = List.copyOf(nodeCpuMillis);
    }

    double committedPerSecond() {
        return committed / measuredSeconds;
    }

    double entriesPerSecond() {
        return entries / measuredSeconds;
    }

    /** Mean commands per Raft entry (the group-commit factor); empty when no entry was proposed. */
    OptionalDouble commandsPerEntry() {
        return entries == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) entryCommands / entries);
    }

    long nodesCpuMillis() {
        return nodeCpuMillis.stream().mapToLong(Long::longValue).sum();
    }

    /** CPU milliseconds of all node processes together per 1,000 committed writes. */
    OptionalDouble nodesCpuMillisPerThousand() {
        return LoadReport.perThousandMessages(nodesCpuMillis(), committed);
    }

    OptionalDouble clientCpuMillisPerThousand() {
        return LoadReport.perThousandMessages(clientCpuMillis, committed);
    }

    /** CPU that neither the nodes nor this client used: other processes on a shared machine. */
    long otherCpuMillis() {
        return machineBusyMillis - nodesCpuMillis() - clientCpuMillis;
    }

    long capacityMillis() {
        return Math.round(cores * measuredSeconds * 1000);
    }

    /** One line of JSON, keys in a fixed order, for scripts to grep and {@link RaftBenchTable} to read. */
    String toJson() {
        return "{\"benchmark\":\"raft-commit\""
                + ",\"nodes\":" + nodes
                + ",\"clients\":" + clients
                + ",\"valueBytes\":" + valueBytes
                + ",\"leader\":" + LoadReport.quoted(leader)
                + ",\"measuredSeconds\":" + decimal(measuredSeconds, 3)
                + ",\"committedPerSec\":" + decimal(committedPerSecond(), 1)
                + ",\"latencyP50Ms\":" + decimal(latency.p50Micros() / 1000.0, 3)
                + ",\"latencyP99Ms\":" + decimal(latency.p99Micros() / 1000.0, 3)
                + ",\"latencyMaxMs\":" + decimal(latency.maxMicros() / 1000.0, 3)
                + ",\"committed\":" + committed
                + ",\"entriesPerSec\":" + decimal(entriesPerSecond(), 1)
                + ",\"commandsPerEntry\":" + decimalOrNull(commandsPerEntry(), 2)
                + ",\"errors\":" + errors
                + ",\"nodeCpuMs\":" + nodeCpuMillis.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"))
                + ",\"nodesCpuMsPer1kWrites\":" + decimalOrNull(nodesCpuMillisPerThousand(), 1)
                + ",\"clientCpuMs\":" + clientCpuMillis
                + ",\"clientCpuMsPer1kWrites\":" + decimalOrNull(clientCpuMillisPerThousand(), 1)
                + ",\"machineBusyMs\":" + machineBusyMillis
                + ",\"otherCpuMs\":" + otherCpuMillis()
                + ",\"cpuCapacityMs\":" + capacityMillis()
                + ",\"loadAverageBefore\":" + (Double.isNaN(loadAverageBefore) ? "null" : decimal(loadAverageBefore, 2))
                + ",\"firstError\":" + firstError.map(LoadReport::quoted).orElse("null")
                + "}";
    }

    /** The same numbers for a person. */
    String toHumanLine() {
        return String.format(Locale.ROOT,
                "nodes=%d clients=%d value=%dB: %.0f committed writes/s, p50 %.2f ms p99 %.2f ms max %.2f ms;"
                        + " %.0f entries/s, %s commands/entry; errors %d; node CPU %s ms (%s ms/1k writes, leader %s);"
                        + " client CPU %d ms (%s ms/1k writes); other processes %d of %d CPU ms; load average before %.2f%s",
                nodes, clients, valueBytes, committedPerSecond(),
                latency.p50Micros() / 1000.0, latency.p99Micros() / 1000.0, latency.maxMicros() / 1000.0,
                entriesPerSecond(), decimalOrNull(commandsPerEntry(), 1), errors,
                nodeCpuMillis, decimalOrNull(nodesCpuMillisPerThousand(), 1), leader.isEmpty() ? "unknown" : leader,
                clientCpuMillis, decimalOrNull(clientCpuMillisPerThousand(), 1),
                otherCpuMillis(), capacityMillis(), loadAverageBefore,
                firstError.map(e -> "; first error: " + e).orElse(""));
    }

    private static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String decimalOrNull(OptionalDouble value, int places) {
        return value.isPresent() ? decimal(value.getAsDouble(), places) : "null";
    }
}
