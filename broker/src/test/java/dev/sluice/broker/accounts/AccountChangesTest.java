package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The refusals that need no catalog: they are decided before anything is read or written. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccountChangesTest {
    private static final AccountChanges UNSEALED = new AccountChanges(null, Optional.empty(), new SecureRandom(),
            InstantSource.system(), () -> CompletableFuture.completedFuture(null));

    private static AccountChangeRefusedException refusal(CompletableFuture<?> change) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> change.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(AccountChangeRefusedException.class, failed.getCause());
    }

    @Test
    void withoutAClusterKeyNoKeyIsCreatedAndTheRefusalSaysWhichSettingIsMissing() {
        AccountChangeRefusedException refused = refusal(UNSEALED.createKey("111122223333", List.of()));
        assertEquals(AccountChangeRefusedException.Reason.CONFLICT, refused.reason());
        assertTrue(refused.getMessage().contains("SLUICE_CLUSTER_KEY"), refused.getMessage());
    }

    @Test
    void badNamesIdsAndGracesAreRefusedAsInvalid() {
        assertEquals(AccountChangeRefusedException.Reason.INVALID,
                refusal(UNSEALED.createAccount(Optional.of("12"), "Acme")).reason());
        assertEquals(AccountChangeRefusedException.Reason.INVALID,
                refusal(UNSEALED.createAccount(Optional.empty(), "a/b")).reason());
        assertEquals(AccountChangeRefusedException.Reason.INVALID, refusal(UNSEALED.rotateKey("111122223333",
                "AKIAAAAAAAAAAAAAAAAA", java.time.Duration.ofDays(8))).reason());
        assertEquals(AccountChangeRefusedException.Reason.CONFLICT,
                refusal(UNSEALED.createAccount(Optional.of(AccountChanges.DEFAULT_ACCOUNT), "Again")).reason());
    }
}
