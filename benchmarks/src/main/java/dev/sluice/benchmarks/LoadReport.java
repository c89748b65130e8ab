package dev.sluice.benchmarks;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The outcome of one load run: what was measured, and the derived rates.
 *
 * <p>Rates are over the measured window only. CPU per 1,000 messages divides by the window's message life-cycles,
 * (sent + deleted) / 2, as issue 17 defines it and as {@code peers/rabbitmq.sh} counts RabbitMQ's (sent + received) / 2:
 * in a balanced run that is the messages sent, each also received and deleted; in a run whose backlog grows (the
 * consumers behind the producers) a send and a receive-and-delete each count as half a message. Until session 17 this
 * divided by the messages sent alone, which read low against RabbitMQ's figure whenever the consumers fell behind.
 *
 * @param options            what was run: endpoint, queues, load shape, label and repetition
 * @param measuredSeconds    actual length of the measured window
 * @param sentInWindow       messages acknowledged by SendMessageBatch in the window
 * @param deletedInWindow    messages acknowledged by DeleteMessageBatch in the window
 * @param receivesInWindow   ReceiveMessage calls answered in the window, empty ones included
 * @param receivedInWindow   messages those calls returned
 * @param errors             failed requests plus failed batch entries, over the whole run
 * @param sentTotal          messages sent over the whole run (warm-up, window, drain)
 * @param deletedTotal       messages deleted over the whole run
 * @param foreignMessages    received messages whose body this run did not write (not in latency)
 * @param serverCpuMillis    the server process's CPU time over the window, when its PID was given
 * @param serverThreads      where the server's CPU went over the window, by thread, and its JIT compilers' share
 * @param clientCpuMillis    this JVM's CPU time over the window
 * @param machineBusyMillis  busy CPU time of the whole machine over the window, all cores
 * @param cores              cores the machine has, for the window's CPU capacity
 * @param firstError         the first error seen, to tell what went wrong
 */
record LoadReport(
        LoadOptions options,
        double measuredSeconds,
        long sentInWindow,
        long deletedInWindow,
        long receivesInWindow,
        long receivedInWindow,
        LatencySummary latency,
        long errors,
        long sentTotal,
        long deletedTotal,
        long foreignMessages,
        OptionalLong serverCpuMillis,
        Optional<ThreadCpuSnapshot.ThreadUse> serverThreads,
        long clientCpuMillis,
        long machineBusyMillis,
        int cores,
        Optional<String> firstError) {

    LoadReport {
        if (!(measuredSeconds > 0)) {
            throw new IllegalArgumentException("measured window must be positive: " + measuredSeconds);
        }
    }

    double sentPerSecond() {
        return sentInWindow / measuredSeconds;
    }

    double deletedPerSecond() {
        return deletedInWindow / measuredSeconds;
    }

    /** How full the receives came back; low values mean consumers spend calls on few messages. */
    OptionalDouble messagesPerReceive() {
        return receivesInWindow == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of((double) receivedInWindow / receivesInWindow);
    }

    /** Messages sent but never deleted by the end of the drain; SQS is at-least-once, so it can go negative. */
    long backlog() {
        return sentTotal - deletedTotal;
    }

    /**
     * CPU that neither the sampled server nor this load generator used, i.e. other processes on a
     * shared machine (plus the kernel's work not charged to a process). Without a server PID the
     * server's share is in here too.
     */
    long otherCpuMillis() {
        return machineBusyMillis - clientCpuMillis - serverCpuMillis.orElse(0);
    }

    /** CPU capacity of the window: cores × seconds, in milliseconds. */
    long capacityMillis() {
        return Math.round(cores * measuredSeconds * 1000);
    }

    /** CPU milliseconds per 1,000 messages; empty when there were none. */
    static OptionalDouble perThousandMessages(long cpuMillis, double messages) {
        return messages == 0 ? OptionalDouble.empty() : OptionalDouble.of(cpuMillis * 1000.0 / messages);
    }

    /** The window's message life-cycles: (sent + deleted) / 2 (see the class comment). */
    double lifeCyclesInWindow() {
        return (sentInWindow + deletedInWindow) / 2.0;
    }

    OptionalDouble serverCpuMillisPerThousand() {
        return serverCpuMillis.isPresent()
                ? perThousandMessages(serverCpuMillis.getAsLong(), lifeCyclesInWindow())
                : OptionalDouble.empty();
    }

    /**
     * Server CPU per 1,000 messages without the JIT compilers' share: the steady-state cost, which a fresh JVM
     * reaches only after its warm-up compiled the hot paths (on a busy machine, late into the window).
     */
    OptionalDouble serverCpuMillisPerThousandWithoutJit() {
        return serverCpuMillis.isPresent() && serverThreads.isPresent()
                ? perThousandMessages(serverCpuMillis.getAsLong() - serverThreads.get().jitCompilerMillis(), lifeCyclesInWindow())
                : OptionalDouble.empty();
    }

    OptionalDouble clientCpuMillisPerThousand() {
        return perThousandMessages(clientCpuMillis, lifeCyclesInWindow());
    }

    /** One line of JSON, keys in a fixed order, for scripts to grep and compare. */
    String toJson() {
        return "{\"benchmark\":\"sqs-e2e\""
                + ",\"label\":" + options.label().map(LoadReport::quoted).orElse("null")
                + ",\"repetition\":" + options.repetition()
                + ",\"endpoint\":" + quoted(options.endpoint().toString())
                + ",\"queue\":" + quoted(options.queueName())
                + ",\"queues\":" + options.queues()
                + ",\"queueAttributes\":" + quoted(options.queueAttributes().toString())
                + ",\"fifo\":" + options.fifo()
                + ",\"groups\":" + options.groups()
                + ",\"producers\":" + options.producers()
                + ",\"ratePerSecond\":" + options.ratePerSecond()
                + ",\"consumers\":" + options.consumers()
                + ",\"bodyBytes\":" + options.bodyBytes()
                + ",\"measuredSeconds\":" + decimal(measuredSeconds, 3)
                + ",\"sentMsgsPerSec\":" + decimal(sentPerSecond(), 1)
                + ",\"receivedDeletedMsgsPerSec\":" + decimal(deletedPerSecond(), 1)
                + ",\"messagesPerReceive\":" + decimalOrNull(messagesPerReceive(), 2)
                + ",\"latencyP50Ms\":" + decimal(latency.p50Micros() / 1000.0, 3)
                + ",\"latencyP99Ms\":" + decimal(latency.p99Micros() / 1000.0, 3)
                + ",\"latencyMaxMs\":" + decimal(latency.maxMicros() / 1000.0, 3)
                + ",\"latencySamples\":" + latency.samples()
                + ",\"errors\":" + errors
                + ",\"sentTotal\":" + sentTotal
                + ",\"deletedTotal\":" + deletedTotal
                + ",\"backlogAfterDrain\":" + backlog()
                + ",\"foreignMessages\":" + foreignMessages
                + ",\"serverCpuMs\":" + (serverCpuMillis.isPresent() ? Long.toString(serverCpuMillis.getAsLong()) : "null")
                + ",\"serverCpuMsPer1kMsgs\":" + decimalOrNull(serverCpuMillisPerThousand(), 1)
                + ",\"serverJitCpuMs\":" + serverThreads.map(used -> Long.toString(used.jitCompilerMillis())).orElse("null")
                + ",\"serverCpuMsPer1kMsgsWithoutJit\":" + decimalOrNull(serverCpuMillisPerThousandWithoutJit(), 1)
                + ",\"serverThreads\":" + serverThreads.map(used -> quoted(used.breakdown())).orElse("null")
                + ",\"clientCpuMs\":" + clientCpuMillis
                + ",\"clientCpuMsPer1kMsgs\":" + decimalOrNull(clientCpuMillisPerThousand(), 1)
                + ",\"machineBusyMs\":" + machineBusyMillis
                + ",\"otherCpuMs\":" + otherCpuMillis()
                + ",\"cpuCapacityMs\":" + capacityMillis()
                + ",\"firstError\":" + firstError.map(LoadReport::quoted).orElse("null")
                + "}";
    }

    /** The same numbers for a person. */
    String toHumanLine() {
        String server = serverCpuMillis.isPresent()
                ? String.format(Locale.ROOT, "server CPU %d ms (%s ms/1k msgs)", serverCpuMillis.getAsLong(),
                        decimalOrNull(serverCpuMillisPerThousand(), 1))
                : "server CPU not sampled (no --server-pid)";
        return String.format(Locale.ROOT,
                "%s%s %s P=%d C=%d: sent %.0f msg/s, received+deleted %.0f msg/s (%s msgs/receive), e2e p50 %.2f ms p99 %.2f ms"
                        + " (max %.2f ms, %d samples), errors %d, backlog %d; %s; client CPU %d ms (%s ms/1k msgs);"
                        + " other processes %d of %d CPU ms%s%s",
                options.label().map(label -> label + ": ").orElse(""),
                options.queues() == 1 ? options.queueName() : options.queues() + " queues " + options.queueNames().get(0) + "..",
                options.fifo() ? "fifo/" + options.groups() + " groups" : "standard", options.producers(), options.consumers(),
                sentPerSecond(), deletedPerSecond(), decimalOrNull(messagesPerReceive(), 1),
                latency.p50Micros() / 1000.0, latency.p99Micros() / 1000.0, latency.maxMicros() / 1000.0,
                latency.samples(), errors, backlog(), server,
                clientCpuMillis, decimalOrNull(clientCpuMillisPerThousand(), 1),
                otherCpuMillis(), capacityMillis(),
                serverThreads.map(used -> "; server JIT " + used.jitCompilerMillis() + " ms, " + used.breakdown()).orElse(""),
                firstError.map(e -> "; first error: " + e).orElse(""));
    }

    private static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String decimalOrNull(OptionalDouble value, int places) {
        return value.isPresent() ? decimal(value.getAsDouble(), places) : "null";
    }

    static String quoted(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
