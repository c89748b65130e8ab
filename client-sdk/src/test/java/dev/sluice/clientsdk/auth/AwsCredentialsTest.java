package dev.sluice.clientsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AwsCredentialsTest {

    @Test
    void theEnvironmentsKeyPairAndSessionTokenAreRead() {
        assertEquals(Optional.of(AwsCredentials.of("AKIDOPS", "s3cret")),
                AwsCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIDOPS", "AWS_SECRET_ACCESS_KEY", "s3cret")));
        assertEquals(Optional.of(new AwsCredentials("AKIDOPS", "s3cret", "token")), AwsCredentials.fromEnvironment(
                Map.of("AWS_ACCESS_KEY_ID", "AKIDOPS", "AWS_SECRET_ACCESS_KEY", "s3cret", "AWS_SESSION_TOKEN", "token")));
    }

    @Test
    void anIncompletePairIsNoCredentials() {
        assertTrue(AwsCredentials.fromEnvironment(Map.of()).isEmpty());
        assertTrue(AwsCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIDOPS")).isEmpty());
        assertTrue(AwsCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIDOPS", "AWS_SECRET_ACCESS_KEY", ""))
                .isEmpty());
    }

    @Test
    void theSecretStaysOutOfToString() {
        assertFalse(AwsCredentials.of("AKIDOPS", "s3cret").toString().contains("s3cret"));
    }
}
