package dev.sluice.clientsdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
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
}
