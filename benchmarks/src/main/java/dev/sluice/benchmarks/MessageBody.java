package dev.sluice.benchmarks;

import java.util.OptionalLong;

/**
 * The body of a load-test message: {@code e2e:<runTag>:<sendNanos>|} followed by padding to a
 * fixed size. The run tag keeps a leftover message of an earlier run (another JVM, another clock)
 * out of this run's latencies.
 *
 * <p>The timestamp is {@link System#nanoTime()} of the sending JVM. Producers and consumers run in
 * the same JVM, so the monotonic clock is comparable on both sides and immune to wall-clock steps.
 */
final class MessageBody {

    private static final String PREFIX = "e2e:";
    private static final char END_OF_TIMESTAMP = '|';
    private static final char PADDING = 'x';

    private MessageBody() {
    }

    /** A body of exactly {@code bodyBytes} ASCII characters carrying {@code sendNanos}. */
    static String encode(String runTag, long sendNanos, int bodyBytes) {
        StringBuilder body = new StringBuilder(bodyBytes)
                .append(PREFIX).append(runTag).append(':').append(sendNanos).append(END_OF_TIMESTAMP);
        if (body.length() > bodyBytes) {
            throw new IllegalArgumentException("body of " + bodyBytes + " bytes cannot hold the timestamp");
        }
        while (body.length() < bodyBytes) {
            body.append(PADDING);
        }
        return body.toString();
    }

    /** The send timestamp, or empty for a body that run {@code runTag} did not write. */
    static OptionalLong sendNanos(String runTag, String body) {
        int start = PREFIX.length() + runTag.length() + 1;
        int end = body.indexOf(END_OF_TIMESTAMP);
        if (end <= start || !body.startsWith(PREFIX) || !body.startsWith(runTag, PREFIX.length())
                || body.charAt(start - 1) != ':') {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(body, start, end, 10));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
