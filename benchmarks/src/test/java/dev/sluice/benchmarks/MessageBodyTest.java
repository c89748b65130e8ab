package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageBodyTest {

    @Test
    void aBodyHasTheRequestedSizeAndGivesBackItsTimestamp() {
        String body = MessageBody.encode("0a1b2c3d", -123_456_789_012L, 200);

        assertEquals(200, body.length());
        assertEquals(OptionalLong.of(-123_456_789_012L), MessageBody.sendNanos("0a1b2c3d", body));
    }

    @Test
    void theLargestTimestampFitsTheSmallestBody() {
        String body = MessageBody.encode("0a1b2c3d", Long.MIN_VALUE, LoadOptions.MIN_BODY_BYTES);
        assertEquals(OptionalLong.of(Long.MIN_VALUE), MessageBody.sendNanos("0a1b2c3d", body));
    }

    @Test
    void anotherRunsOrAStrangersBodyHasNoTimestamp() {
        String body = MessageBody.encode("0a1b2c3d", 42, 64);

        assertEquals(OptionalLong.empty(), MessageBody.sendNanos("ffffffff", body));
        assertEquals(OptionalLong.empty(), MessageBody.sendNanos("0a1b2c3d", "hello"));
        assertEquals(OptionalLong.empty(), MessageBody.sendNanos("0a1b2c3d", "e2e:0a1b2c3d:|xx"));
        assertEquals(OptionalLong.empty(), MessageBody.sendNanos("0a1b2c3d", "e2e:0a1b2c3d:12a|"));
    }

    @Test
    void aBodyTooSmallForTheHeaderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MessageBody.encode("0a1b2c3d", 42, 10));
    }
}
