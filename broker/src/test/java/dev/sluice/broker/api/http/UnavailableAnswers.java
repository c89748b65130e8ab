package dev.sluice.broker.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Checks of a request refused for now: answered ServiceUnavailable (503) within a limit, in the request's protocol,
 * with no Java type name in the body. Each returns how long the answer took.
 */
public final class UnavailableAnswers {
    private UnavailableAnswers() {
    }

    /** A raw HTTP exchange. */
    public interface RawCall {
        HttpResponse<String> send() throws Exception;
    }

    /** An AWS SDK call (its retries off) that must fail with ServiceUnavailable 503 within {@code limit}. */
    public static Duration assertUnavailable(String what, Duration limit, Runnable call) {
        long started = System.nanoTime();
        try {
            call.run();
            fail(what + " succeeded without a majority");
            return null;
        } catch (AwsServiceException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("%s without a majority: %d %s after %d ms%n", what, e.statusCode(),
                    e.awsErrorDetails().errorCode(), took.toMillis());
            assertEquals(503, e.statusCode(), what + ": " + e.getMessage());
            assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode(), what);
            assertNoJavaNames(what, e.awsErrorDetails().rawResponse() == null ? ""
                    : e.awsErrorDetails().rawResponse().asUtf8String());
            assertTrue(took.compareTo(limit) < 0, what + " answered after " + took);
            return took;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " got no answer in " + Duration.ofNanos(System.nanoTime() - started)
                    + " (" + e + ")", e);
        }
    }

    /** A raw HTTP call (REST, SQS Query) that must be answered 503 ServiceUnavailable within {@code limit}. */
    public static Duration assertRawUnavailable(String what, Duration limit, RawCall call) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = call.send();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("%s without a majority: %d after %d ms: %s%n", what, response.statusCode(), took.toMillis(),
                response.body());
        assertEquals(503, response.statusCode(), what + ": " + response.body());
        assertTrue(response.body().contains("ServiceUnavailable"), what + ": " + response.body());
        assertNoJavaNames(what, response.body());
        assertTrue(took.compareTo(limit) < 0, what + " answered after " + took);
        return took;
    }

    private static void assertNoJavaNames(String what, String body) {
        for (String leak : List.of("java.", "Exception", "dev.sluice", "org.apache")) {
            assertFalse(body.contains(leak), what + " names a Java type: " + body);
        }
    }
}
