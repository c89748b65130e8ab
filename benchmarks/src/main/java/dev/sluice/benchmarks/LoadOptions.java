package dev.sluice.benchmarks;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one {@link SqsLoadGenerator} run does, parsed from its command line.
 *
 * <p>Every knob has a bound, because the generator shares a small machine with the server under
 * test: one outstanding request per producer and per consumer, so at most
 * {@code producers + consumers} requests are in flight at once.
 *
 * @param endpoint     the SQS endpoint the client talks to (endpointOverride)
 * @param queueName    queue to create; in FIFO mode it always ends in {@code .fifo}. With several
 *                     queues, the base of their names (see {@link #queueNames()})
 * @param queues       queues to create and load; producers and consumers are dealt to them round-robin
 * @param queueAttributes extra CreateQueue attributes, by name, e.g. a partition count
 * @param producers    producer loops, each with one SendMessageBatch in flight
 * @param ratePerSecond messages per second all producers together offer, paced per batch; 0 sends each batch as
 *                     soon as the last one is answered (a closed loop: throughput is what the server sustains)
 * @param consumers    consumer loops, each with one ReceiveMessage or DeleteMessageBatch in flight
 * @param warmup       load before measuring, so JIT and connection set-up are not counted
 * @param measured     the measured window
 * @param drainLimit   the longest the run waits, after the window, for consumers to empty the queue
 * @param fifo         use a FIFO queue with {@code groups} message groups
 * @param groups       message groups, used round-robin (FIFO only; 0 otherwise)
 * @param bodyBytes    size of each message body in bytes (ASCII)
 * @param waitSeconds  ReceiveMessage WaitTimeSeconds (long polling)
 * @param serverPid    process whose CPU time is sampled over the measured window, if given
 * @param keepQueue    leave the queues in place at the end instead of deleting them
 * @param label        names the configuration under test (e.g. {@code data-groups=4}) in the summary line
 * @param repetition   which repetition of a series this run is, so tables can pair runs made back to back
 */
public record LoadOptions(
        URI endpoint,
        String queueName,
        int queues,
        SortedMap<String, String> queueAttributes,
        int producers,
        int ratePerSecond,
        int consumers,
        Duration warmup,
        Duration measured,
        Duration drainLimit,
        boolean fifo,
        int groups,
        int bodyBytes,
        int waitSeconds,
        OptionalLong serverPid,
        boolean keepQueue,
        Optional<String> label,
        int repetition) {

    static final int MAX_WORKERS = 64;
    static final int MAX_MEASURED_SECONDS = 600;
    static final int MAX_WARMUP_SECONDS = 120;
    static final int MAX_DRAIN_SECONDS = 120;
    static final int MAX_GROUPS = 10_000;
    /** Room for the timestamp header that {@link MessageBody} writes first. */
    static final int MIN_BODY_BYTES = 48;
    /** Ten bodies must fit the strict 256 KiB batch payload limit. */
    static final int MAX_BODY_BYTES = 262_144 / SqsLoadGenerator.BATCH_SIZE;
    static final int MAX_WAIT_SECONDS = 20;
    static final int MAX_QUEUE_NAME_LENGTH = 80;
    /** Every queue needs a producer and a consumer of its own, so as many queues as workers at most. */
    static final int MAX_QUEUES = MAX_WORKERS;
    static final int MAX_QUEUE_ATTRIBUTES = 20;
    static final int MAX_REPETITION = 99;
    static final int MAX_RATE_PER_SECOND = 1_000_000;

    static final String USAGE = """
            usage: SqsLoadGenerator --endpoint URL --queue NAME [options]
              --producers N          producer loops, 1..64 (default 4)
              --rate N               messages/s offered by all producers together, paced per batch, 0..1000000
                                     (default 0: the next batch as soon as the last is answered)
              --consumers N          consumer loops, 1..64 (default 4)
              --seconds N            measured seconds, 1..600 (default 20)
              --warmup-seconds N     unmeasured load first, 0..120 (default 3)
              --drain-seconds N      longest wait to empty the queue afterwards, 1..120 (default 10)
              --fifo                 FIFO queue (".fifo" is appended to the name if missing)
              --groups N             FIFO message groups, round-robin, 1..10000 (default 10)
              --body-bytes N         message body size, 48..26214 (default 200)
              --wait-seconds N       ReceiveMessage WaitTimeSeconds, 1..20 (default 1)
              --queues N             queues NAME-0..NAME-(N-1), producers and consumers dealt round-robin,
                                     1..64, at most the producers and the consumers (default 1: just NAME)
              --queue-attribute K=V  extra CreateQueue attribute, repeatable (e.g. a partition count)
              --server-pid PID       sample this process's CPU time over the measured window
              --keep-queue           do not delete the queues at the end
              --label TEXT           the configuration under test, copied into the summary line
              --repetition N         repetition number copied into the summary line, 1..99 (default 1)
            credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (needed when the server has access keys)
            """;

    public LoadOptions {
        queueName = effectiveQueueName(queueName, fifo);
        queueAttributes = Collections.unmodifiableSortedMap(new TreeMap<>(queueAttributes));
    }

    private static String effectiveQueueName(String name, boolean fifo) {
        return fifo && !name.endsWith(".fifo") ? name + ".fifo" : name;
    }

    /** How long each producer waits from one batch to the next to offer {@link #ratePerSecond}; 0 when unpaced. */
    long batchIntervalNanos() {
        return ratePerSecond == 0 ? 0 : Math.max(1, 1_000_000_000L * producers * SqsLoadGenerator.BATCH_SIZE / ratePerSecond);
    }

    /** The queues' names: {@code queueName} alone, or {@code base-0 .. base-(queues-1)} keeping a {@code .fifo} suffix. */
    List<String> queueNames() {
        if (queues == 1) {
            return List.of(queueName);
        }
        String suffix = fifo ? ".fifo" : "";
        String base = queueName.substring(0, queueName.length() - suffix.length());
        List<String> names = new ArrayList<>(queues);
        for (int i = 0; i < queues; i++) {
            names.add(base + "-" + i + suffix);
        }
        return names;
    }

    /**
     * Parses {@code --name value} pairs and flags.
     *
     * @throws IllegalArgumentException listing every problem found, not just the first
     */
    public static LoadOptions parse(String... args) {
        List<String> problems = new ArrayList<>();
        Parsed parsed = new Parsed();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--fifo")) {
                parsed.fifo = true;
            } else if (name.equals("--keep-queue")) {
                parsed.keepQueue = true;
            } else if (name.equals("--queue-attribute") && i + 1 < args.length) {
                parsed.addQueueAttribute(args[++i], problems);
            } else if (i + 1 >= args.length) {
                problems.add(name + " needs a value");
            } else {
                parsed.set(name, args[++i], problems);
            }
        }
        return parsed.validate(problems);
    }

    /** Mutable holder for the parse only; the record is built once everything is known. */
    private static final class Parsed {
        String endpoint;
        String queue;
        int producers = 4;
        int consumers = 4;
        int seconds = 20;
        int warmupSeconds = 3;
        int drainSeconds = 10;
        boolean fifo;
        Integer groups;
        int bodyBytes = 200;
        int waitSeconds = 1;
        Long serverPid;
        boolean keepQueue;
        int queues = 1;
        int ratePerSecond;
        final Map<String, String> queueAttributes = new TreeMap<>();
        String label;
        int repetition = 1;

        void set(String name, String value, List<String> problems) {
            switch (name) {
                case "--endpoint" -> endpoint = value;
                case "--queue" -> queue = value;
                case "--producers" -> producers = intIn(name, value, 1, MAX_WORKERS, problems);
                case "--consumers" -> consumers = intIn(name, value, 1, MAX_WORKERS, problems);
                case "--seconds" -> seconds = intIn(name, value, 1, MAX_MEASURED_SECONDS, problems);
                case "--warmup-seconds" -> warmupSeconds = intIn(name, value, 0, MAX_WARMUP_SECONDS, problems);
                case "--drain-seconds" -> drainSeconds = intIn(name, value, 1, MAX_DRAIN_SECONDS, problems);
                case "--groups" -> groups = intIn(name, value, 1, MAX_GROUPS, problems);
                case "--body-bytes" -> bodyBytes = intIn(name, value, MIN_BODY_BYTES, MAX_BODY_BYTES, problems);
                case "--wait-seconds" -> waitSeconds = intIn(name, value, 1, MAX_WAIT_SECONDS, problems);
                case "--server-pid" -> serverPid = (long) intIn(name, value, 1, Integer.MAX_VALUE, problems);
                case "--rate" -> ratePerSecond = intIn(name, value, 0, MAX_RATE_PER_SECOND, problems);
                case "--queues" -> queues = intIn(name, value, 1, MAX_QUEUES, problems);
                case "--label" -> label = value;
                case "--repetition" -> repetition = intIn(name, value, 1, MAX_REPETITION, problems);
                default -> problems.add("unknown option " + name);
            }
        }

        void addQueueAttribute(String nameEqualsValue, List<String> problems) {
            int equals = nameEqualsValue.indexOf('=');
            if (equals <= 0) {
                problems.add("--queue-attribute must be NAME=VALUE: " + nameEqualsValue);
            } else if (queueAttributes.size() >= MAX_QUEUE_ATTRIBUTES) {
                problems.add("--queue-attribute given more than " + MAX_QUEUE_ATTRIBUTES + " times");
            } else {
                queueAttributes.put(nameEqualsValue.substring(0, equals), nameEqualsValue.substring(equals + 1));
            }
        }

        LoadOptions validate(List<String> problems) {
            URI uri = null;
            if (endpoint == null) {
                problems.add("--endpoint is required");
            } else {
                uri = endpointUri(endpoint, problems);
            }
            if (queue == null) {
                problems.add("--queue is required");
            } else if (!queue.matches("[A-Za-z0-9_-]+(\\.fifo)?")
                    || effectiveQueueName(queue, fifo).length() > MAX_QUEUE_NAME_LENGTH) {
                problems.add("--queue must be [A-Za-z0-9_-], optionally ending in .fifo, at most "
                        + MAX_QUEUE_NAME_LENGTH + " characters with the suffix: " + queue);
            }
            if (groups != null && !fifo) {
                problems.add("--groups needs --fifo");
            }
            if (queues > producers || queues > consumers) {
                problems.add("--queues must not exceed --producers or --consumers (every queue needs both): " + queues);
            }
            if (queue != null && queues > 1 && effectiveQueueName(queue, fifo).length() + ("-" + (queues - 1)).length()
                    > MAX_QUEUE_NAME_LENGTH) {
                problems.add("--queue is too long for the -N suffix of " + queues + " queues: " + queue);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new LoadOptions(uri, queue, queues, new TreeMap<>(queueAttributes), producers, ratePerSecond, consumers,
                    Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds), Duration.ofSeconds(drainSeconds),
                    fifo, fifo ? (groups == null ? 10 : groups) : 0, bodyBytes, waitSeconds,
                    serverPid == null ? OptionalLong.empty() : OptionalLong.of(serverPid), keepQueue,
                    Optional.ofNullable(label), repetition);
        }
    }

    private static URI endpointUri(String value, List<String> problems) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                problems.add("--endpoint must be an http(s) URL with a host: " + value);
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("--endpoint is not a URL: " + value);
            return null;
        }
    }

    private static int intIn(String name, String value, int min, int max, List<String> problems) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be in " + min + ".." + max + ": " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " is not a whole number: " + value);
            return min;
        }
    }
}
