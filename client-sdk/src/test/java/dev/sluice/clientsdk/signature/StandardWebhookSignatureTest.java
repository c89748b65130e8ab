package dev.sluice.clientsdk.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StandardWebhookSignatureTest {
    /** The Standard Webhooks specification's published example. */
    @Test
    void matchesTheSpecificationsExample() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String body = "{\"test\": 2432232314}";
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                StandardWebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
    }

    @Test
    void verifiesOnlyTheSameBodyWithinTheTolerance() {
        String secret = StandardWebhookSignature.newSecret(new SecureRandom());
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        String signature = StandardWebhookSignature.sign(secret, "id", now.getEpochSecond(), "body");
        Duration tolerance = StandardWebhookSignature.DEFAULT_TOLERANCE;
        assertTrue(StandardWebhookSignature.verify(secret, "id", String.valueOf(now.getEpochSecond()),
                "v1,other " + signature, "body", now, tolerance));
        assertFalse(StandardWebhookSignature.verify(secret, "id", String.valueOf(now.getEpochSecond()), signature, "bodY",
                now, tolerance));
        assertFalse(StandardWebhookSignature.verify(secret, "id2", String.valueOf(now.getEpochSecond()), signature, "body",
                now, tolerance));
        assertFalse(StandardWebhookSignature.verify(secret, "id", String.valueOf(now.getEpochSecond()), signature, "body",
                now.plus(Duration.ofMinutes(6)), tolerance));
    }
}
