package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueUrlTest {

    @Test
    void anAbsoluteUrlNamesAccountAndQueueWhateverTheHost() {
        assertEquals(Optional.of(new QueueUrl("000000000000", "orders.fifo")),
                QueueUrl.parse("http://localhost:9324/000000000000/orders.fifo"));
        assertEquals(QueueUrl.parse("https://sqs.example:443/1/q"), QueueUrl.parse("/1/q"));
    }

    @Test
    void urlsWithoutExactlyTwoPathSegmentsAreRejected() {
        assertTrue(QueueUrl.parse("http://localhost:9324/q").isEmpty());
        assertTrue(QueueUrl.parse("http://localhost:9324/1/q/extra").isEmpty());
        assertTrue(QueueUrl.parse("not a url").isEmpty());
        assertTrue(QueueUrl.parse("").isEmpty());
        assertTrue(QueueUrl.parse(null).isEmpty());
        assertTrue(QueueUrl.parse("http://localhost:9324").isEmpty());
    }

    @Test
    void queryAndFragmentAreNotPartOfThePath() {
        assertEquals(Optional.of(new QueueUrl("1", "q")), QueueUrl.parse("http://localhost:9324/1/q?Action=x#top"));
        assertTrue(QueueUrl.parse("http://localhost:9324/1?x=/q").isEmpty());
    }

    @Test
    void malformedAuthoritiesAndSegmentsAreRejected() {
        assertTrue(QueueUrl.parse("http://bad host/1/q").isEmpty());
        assertTrue(QueueUrl.parse("://localhost/1/q").isEmpty());
        assertTrue(QueueUrl.parse("http:///1/q").isEmpty());
        assertTrue(QueueUrl.parse("http://localhost/1/q%20x").isEmpty());
        assertTrue(QueueUrl.parse("http://localhost//q").isEmpty());
    }

    @Test
    void formatsUrlAndArn() {
        QueueUrl queue = new QueueUrl("123456789012", "alerts");
        assertEquals("http://127.0.0.1:9324/123456789012/alerts", queue.toUrl("http://127.0.0.1:9324"));
        assertEquals("arn:aws:sqs:us-east-1:123456789012:alerts", queue.toArn("us-east-1"));
    }

    /** The rule for an account id and a queue name in a URL, as a regular expression: the parser must agree with it. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]{1,80}");

    @Test
    void aPathParsesExactlyWhenBothSegmentsFitTheNameRule() {
        Random random = new Random(17);
        String alphabet = "abcXYZ0189_.-~% \u00e9+$:\u0100";
        for (int run = 0; run < 5_000; run++) {
            String account = randomText(random, alphabet, random.nextInt(4) == 0 ? 90 : 6);
            String queue = randomText(random, alphabet, random.nextInt(4) == 0 ? 90 : 6);
            boolean expected = SEGMENT.matcher(account).matches() && SEGMENT.matcher(queue).matches();
            assertEquals(expected ? Optional.of(new QueueUrl(account, queue)) : Optional.empty(),
                    QueueUrl.parse("http://localhost:9324/" + account + "/" + queue), account + " / " + queue);
        }
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int length = random.nextInt(maxLength + 1); text.length() < length; ) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void segmentsOfEightyCharactersParseAndOfEightyOneDoNot() {
        assertEquals(Optional.of(new QueueUrl("1", "q".repeat(80))), QueueUrl.parse("/1/" + "q".repeat(80)));
        assertTrue(QueueUrl.parse("/1/" + "q".repeat(81)).isEmpty());
        assertTrue(QueueUrl.parse("/" + "1".repeat(81) + "/q").isEmpty());
        assertEquals(Optional.of(new QueueUrl("1", "q")), QueueUrl.parse("http://h/1/q?Action=x#f"));
    }
}
